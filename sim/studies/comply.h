// `dctwin comply`: a scenario run at the resolution a utility's requirements need, then every
// requirement checked against the utility meter (sim/output/compliance_checks.h); compliance.json.
//
//   requirements  sim/input/requirements.h (the file, strict; exit 2 on a bad one)
//   resolution    the scenario's output step unless a requirement needs a finer one
//                 (required_output_step_s: each window at least one step, 4 samples per period of
//                 every oscillation band's upper edge); an output step set with --set that is too
//                 coarse, or a run shorter than the requirements need (required_duration_s), is bad
//                 input naming the step or duration needed
//   meter series  interval means of the meter power, after the facility battery when the
//                 scenario has one (campus.storage)
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

// The meter's active power per output step of a finished run (complete steps only).
MeterSeries meter_series(const RunResult& r);

// Runs and checks; the document of compliance.json (its run's summary.json into *summary when given).
json run_compliance(const Requirements& q, const ComplyRequest& req, const RunOptions& options = {}, json* summary = nullptr);

}  // namespace dctwin
