#include "sim/studies/comply.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/power/flickermeter.h"
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
  // A duration the user did not set is lengthened to what the requirements need, Plt's 2 h included
  // (12 Pst intervals; a duration set too short for Plt leaves Plt not evaluated, said in its note).
  const double plt_s = q.flicker && q.flicker->plt_max ? power::kPstIntervalS * static_cast<double>(power::kPstPerPlt) : 0.0;
  const double want_s = std::max(need_s, plt_s);
  if (sc.duration_s < want_s && !req.duration_s && !sets_key(req.sets, "simulation.duration_s")) {
    sets.push_back("simulation.duration_s=" + short_number(want_s));
    sc = load_scenario(req.scenario_path, LoadOptions{sets});
    step_reason += "; duration lengthened from the scenario's to " + short_number(want_s) +
                   " s (the longest window of the requirements" + std::string(plt_s >= want_s ? ", Plt's 2 h" : "") + ")";
  }
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
  m.q_var.emplace();
  for (std::size_t k = 0; k < rec.bin_count() && k < r.pq.q_var.size(); ++k) {
    if (rec.bin_length(k) != rec.bin_width()) break;  // a shortened last step (partial run) is left out
    m.p_w.push_back(r.storage ? r.storage->grid_w[k] : rec.bin_mean_w(k, kUtility));
    m.q_var->push_back(r.pq.q_var[k]);
  }
  return m;
}

void add_pcc(MeterSeries& m, const Scenario& sc, const RunResult& r, const Requirements& q) {
  const PccSpec* spec = sc.grid && sc.grid->pcc ? &*sc.grid->pcc : (q.pcc ? &*q.pcc : nullptr);
  if (!spec) return;
  m.pcc_source = sc.grid && sc.grid->pcc ? "scenario grid.pcc" : "requirements pcc";
  MeterPq pq;  // the complete steps the checks see
  pq.dt_s = m.dt_s;
  pq.p_w = m.p_w;
  pq.q_var = *m.q_var;
  const power::RideThroughParams eq = sc.grid ? sc.grid->equipment : power::RideThroughParams{};
  m.pcc = r.pcc && pq.p_w.size() == r.pq.p_w.size() ? *r.pcc : pcc_result(*spec, pq, static_cast<int>(eq.nominal_frequency_hz));
}

json pcc_json(const MeterSeries& m, const Scenario& sc, const Requirements& q) {
  const PccSpec* spec = sc.grid && sc.grid->pcc ? &*sc.grid->pcc : (q.pcc ? &*q.pcc : nullptr);
  if (!spec || !m.pcc) return nullptr;
  json j;
  j["source"] = m.pcc_source;
  j["nominal_kv"] = spec->nominal_kv;
  j["short_circuit_mva"] = spec->short_circuit_mva;
  j["x_over_r"] = spec->x_over_r;
  j["line_hz"] = m.pcc->line_hz;
  j["flicker_input_step_s"] = m.dt_s;
  j["flicker_note"] = "the flickermeter is fed with the PCC voltage per output step, each held until the next; fluctuations above " +
                      short_number(0.5 / m.dt_s) + " Hz and within a step are not resolved";
  return j;
}

json run_compliance(const Requirements& q, const ComplyRequest& req, const RunOptions& options, json* summary) {
  std::string step_reason;
  const Scenario sc = compliance_scenario(q, req, step_reason);
  const RunResult r = run_scenario(sc, options);
  MeterSeries m = meter_series(r);
  add_pcc(m, sc, r, q);
  json doc = compliance_json(check_all(m, q), q);
  doc["pcc"] = pcc_json(m, sc, q);
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
