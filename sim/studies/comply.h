// `dctwin comply`: a scenario run at the resolution a utility's requirements need, then every
// requirement checked against the utility meter (sim/output/compliance_checks.h); compliance.json.
//
//   requirements  sim/input/requirements.h (the file, strict; exit 2 on a bad one)
//   resolution    the scenario's output step unless a requirement needs a finer one
//                 (required_output_step_s: each window at least one step, 4 samples per period of
//                 every oscillation band's upper edge); an output step set with --set that is too
//                 coarse, or a run set shorter than the requirements need (required_duration_s), is
//                 bad input naming the step or duration needed; a duration not set is lengthened to
//                 that, or to Plt's 7200 s with flicker.plt_max
//   meter series  interval means of the meter power, after the facility battery when the
//                 scenario has one (campus.storage), and its reactive power (sim/output/reactive_power.h)
//   pcc           the scenario's grid.pcc, else the requirements' pcc (compliance.json "pcc" says which)
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/input/requirements.h"
#include "sim/output/compliance_checks.h"
#include "sim/run.h"

namespace dctwin {

struct ComplyRequest {
  std::string scenario_path;  // "" = the embedded default
  std::vector<std::string> sets;
  std::optional<double> duration_s;
};

// The scenario with the output step the requirements need (InputError when they cannot be met), and
// why that step was chosen.
Scenario compliance_scenario(const Requirements& q, const ComplyRequest& req, std::string& step_reason);

// The meter's active and reactive power per output step of a finished run (complete steps only).
MeterSeries meter_series(const RunResult& r);
// The PCC voltage and flicker of the meter series: the scenario's grid.pcc when it has one (the run's
// own result), else the requirements' pcc; nothing when neither is given.
void add_pcc(MeterSeries& m, const Scenario& sc, const RunResult& r, const Requirements& q);

// Runs and checks; the document of compliance.json (its run's summary.json into *summary when given).
json run_compliance(const Requirements& q, const ComplyRequest& req, const RunOptions& options = {}, json* summary = nullptr);

}  // namespace dctwin
