#include "sim/studies/comply.h"

#include <cmath>
#include <cstdio>

#include "sim/input/scenario_loader.h"

namespace dctwin {

namespace {

// A number in 15 significant digits: 1 / 80 reads "0.0125", the same double as exact_number's
// "0.012500000000000001".
std::string short_number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.15g", v);
  return b;
}

bool sets_key(const std::vector<std::string>& sets, const std::string& key) {
  for (const auto& s : sets)
    if (s.rfind(key + "=", 0) == 0) return true;
  return false;
}

}  // namespace

Scenario compliance_scenario(const Requirements& q, const ComplyRequest& req, std::string& step_reason) {
  std::vector<std::string> sets = req.sets;
  if (req.duration_s) sets.push_back("simulation.duration_s=" + exact_number(*req.duration_s));
  Scenario sc = load_scenario(req.scenario_path, LoadOptions{sets});
  step_reason = "the scenario's simulation.output_step_s";
  const std::optional<double> need = required_output_step_s(q);
  Problems problems;
  if (need && sc.output_step_s > *need * (1 + 1e-9)) {
    if (sets_key(req.sets, "simulation.output_step_s")) {
      problems.add("--set", "simulation.output_step_s",
                   "at most " + short_number(*need) + " s (the finest window or oscillation band of " + q.source + ")",
                   exact_number(sc.output_step_s));
      throw InputError(problems);
    }
    sets.push_back("simulation.output_step_s=" + short_number(*need));
    sc = load_scenario(req.scenario_path, LoadOptions{sets});
    step_reason = "the finest window or oscillation band of the requirements (" + short_number(*need) + " s)";
  }
  const double need_s = required_duration_s(q);
  if (sc.duration_s < need_s) {
    problems.add(req.duration_s ? "--duration-s" : "simulation.duration_s", "value",
                 "at least " + exact_number(need_s) + " s (the longest window, or two periods of the lowest oscillation band edge, of " +
                     q.source + ")",
                 exact_number(sc.duration_s));
  }
  for (const auto& b : q.oscillation)
    if (auto why = band_resolution_problem(b, sc.output_step_s, sc.duration_s))
      problems.add(q.source, "$.oscillation band [" + exact_number(b.lo_hz) + ", " + exact_number(b.hi_hz) + "] Hz", *why,
                   "output_step_s " + exact_number(sc.output_step_s) + " s over " + exact_number(sc.duration_s) + " s");
  if (!problems.empty()) throw InputError(problems);
  return sc;
}

MeterSeries meter_series(const RunResult& r) {
  MeterSeries m;
  const Recorder& rec = r.engine.recorder;
  m.dt_s = to_seconds(rec.bin_width());
  for (std::size_t k = 0; k < rec.bin_count(); ++k) {
    if (rec.bin_length(k) != rec.bin_width()) break;  // a shortened last step (partial run) is left out
    m.p_w.push_back(r.storage ? r.storage->grid_w[k] : rec.bin_mean_w(k, kUtility));
  }
  return m;
}

json run_compliance(const Requirements& q, const ComplyRequest& req, const RunOptions& options, json* summary) {
  std::string step_reason;
  const Scenario sc = compliance_scenario(q, req, step_reason);
  const RunResult r = run_scenario(sc, options);
  const MeterSeries m = meter_series(r);
  json doc = compliance_json(check_all(m, q), q);
  json run;
  run["scenario"] = sc.name;
  run["scenario_source"] = sc.source;
  run["duration_s"] = sc.duration_s;
  run["output_step_s"] = sc.output_step_s;
  run["output_step_reason"] = step_reason;
  run["meter"] = r.storage ? "utility meter, after the facility battery (campus.storage)" : "utility meter";
  run["peak_facility_mw"] = r.summary.value("peak_facility_mw", json(nullptr));
  run["partial"] = r.engine.partial;
  double meter_j = 0;
  for (double p : m.p_w) meter_j += p * m.dt_s;
  run["meter_energy_mwh"] = meter_j / 3.6e9;
  if (summary) *summary = r.summary;
  doc["run"] = run;
  doc["dctwin_version"] = DCTWIN_VERSION;
  return doc;
}

}  // namespace dctwin
