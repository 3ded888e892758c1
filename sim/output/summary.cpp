#include "sim/output/summary.h"
#include "core/units.h"

#include "sim/output/cooling_summary.h"
#include "sim/output/price_carbon_summary.h"
#include "sim/output/spectrum.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/json_input.h"

namespace dctwin {

namespace {
using units::mwh;
double mw(double watts) { return watts / 1e6; }
double kw(double watts) { return watts / 1e3; }
json opt(const std::optional<double>& v, double scale) { return v ? json(*v * scale) : json(nullptr); }
}  // namespace

namespace {

// Which scenario, its size and its time axis.
void add_run(json& s, const Scenario& sc, const Facility& facility) {
  s["dctwin_version"] = DCTWIN_VERSION;
  s["scenario"] = sc.name;
  s["scenario_source"] = sc.source;
  s["seed"] = sc.seed;
  s["gpus"] = sc.total_gpus();
  std::int64_t in_jobs = 0;
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) in_jobs += facility.job_gpus(static_cast<int>(j));
  s["gpus_in_jobs"] = in_jobs;
  s["nodes"] = sc.total_nodes();
  s["racks"] = sc.total_racks();
  s["duration_s"] = sc.duration_s;
  s["output_step_s"] = sc.output_step_s;
}

// Energies, peaks, ramps and the energy balance of the electrical side (cooling null).
void add_energy(json& s, const Scenario& sc, const Recorder& rec) {
  const auto& e = rec.energy_j();
  const ItBreakdown& it = rec.it_energy_j();
  const double dur = sc.duration_s;
  const double losses = e[kBuswayLoss] + e[kUpsLoss] + e[kSwitchgearLoss] + e[kTransformerLoss];
  s["it_energy_mwh"] = mwh(e[kIt]);
  s["gpu_energy_mwh"] = mwh(e[kGpu]);
  s["losses_energy_mwh"] = mwh(losses);
  s["losses_mwh_by_stage"] = {{"busway", mwh(e[kBuswayLoss])},
                              {"ups", mwh(e[kUpsLoss])},
                              {"switchgear", mwh(e[kSwitchgearLoss])},
                              {"transformer", mwh(e[kTransformerLoss])}};
  s["it_breakdown_mwh"] = {{"gpu", mwh(it.gpu_w)},       {"cpu", mwh(it.cpu_w)},
                           {"memory", mwh(it.memory_w)}, {"nic", mwh(it.nic_w)},
                           {"storage", mwh(it.storage_w)}, {"other", mwh(it.other_w)},
                           {"fans", mwh(it.fan_w)},      {"rack_equipment", mwh(it.rack_equipment_w)},
                           {"psu_loss", mwh(it.psu_loss_w)}, {"rack_storage", mwh(it.rack_storage_w)}};
  s["cooling_modelled"] = false;
  s["cooling_energy_mwh"] = nullptr;
  s["facility_energy_mwh"] = mwh(e[kUtility]);
  s["peak_it_mw"] = mw(rec.peak_w()[kIt]);
  s["mean_it_mw"] = mw(e[kIt] / dur);
  s["peak_gpu_mw"] = mw(rec.peak_w()[kGpu]);
  s["peak_facility_mw"] = mw(rec.peak_w()[kUtility]);
  s["peak_facility_t_s"] = to_seconds(rec.peak_time()[kUtility]);
  s["mean_facility_mw"] = mw(e[kUtility] / dur);
  s["load_factor"] = rec.peak_w()[kUtility] > 0 ? (e[kUtility] / dur) / rec.peak_w()[kUtility] : 0.0;
  s["pue"] = nullptr;

  // Ramps from the interval-mean facility power at the output resolution.
  double up = 0, down = 0;
  for (std::size_t k = 1; k < rec.bin_count(); ++k) {
    const double dt = to_seconds(rec.bin_start(k) - rec.bin_start(k - 1));
    const double d = (rec.bin_mean_w(k, kUtility) - rec.bin_mean_w(k - 1, kUtility)) / dt;
    up = std::max(up, d);
    down = std::max(down, -d);
  }
  s["max_ramp_up_mw_per_s"] = mw(up);
  s["max_ramp_down_mw_per_s"] = mw(down);
  s["ramp_window_s"] = sc.output_step_s;

  // Conservation: meter = IT + distribution losses; IT = its breakdown.
  const double balance_meter = std::abs(e[kUtility] - (e[kIt] + losses)) / std::max(e[kUtility], 1e-300);
  const double balance_it = std::abs(e[kIt] - it.total_w()) / std::max(e[kIt], 1e-300);
  s["energy_balance_rel_error"] = std::max(balance_meter, balance_it);
}

json capacity_entry_json(const CapacityEntry& c) {
  json j;
  j["element"] = c.element;
  j["name"] = c.name;
  j["stage"] = to_string(c.stage);
  j["redundancy"] = c.redundancy;
  j["units_needed"] = c.needed;
  j["units_installed"] = c.installed;
  j["groups"] = c.groups;
  j["rating_kw"] = kw(c.rating_w);
  j["peak_unit_load_kw"] = kw(c.peak_unit_load_w);
  j["peak_t_s"] = c.peak_t_s;
  j["margin_kw"] = kw(c.margin_w());
  j["margin_pct"] = 100.0 * c.margin_w() / c.rating_w;
  j["failover_unit_load_kw"] = opt(c.failover_unit_load_w, 1e-3);
  j["failover_margin_kw"] = opt(c.failover_margin_w(), 1e-3);
  j["failover_margin_pct"] = c.failover_margin_w() ? json(100.0 * *c.failover_margin_w() / c.rating_w) : json(nullptr);
  j["nameplate_unit_load_kw"] = kw(c.nameplate_unit_load_w);
  j["nameplate_margin_pct"] = 100.0 * (c.rating_w - c.nameplate_unit_load_w) / c.rating_w;
  j["nameplate_failover_margin_pct"] =
      c.nameplate_failover_unit_load_w ? json(100.0 * (c.rating_w - *c.nameplate_failover_unit_load_w) / c.rating_w) : json(nullptr);
  if (!c.failover_note.empty()) j["failover_note"] = c.failover_note;
  if (!c.load_note.empty()) j["load_note"] = c.load_note;
  return j;
}

json overload_json(const Overload& o) {
  return json{{"element", o.element},           {"name", o.name},
              {"condition", o.condition},       {"load_kw", kw(o.load_w)},
              {"rating_kw", kw(o.rating_w)},    {"margin_kw", kw(o.margin_w())},
              {"margin_pct", 100.0 * o.margin_w() / o.rating_w}, {"t_s", o.t_s}};
}

// Rated elements: their margins, overloads in the run and at nameplate, single points of failure.
void add_capacity(json& s, const std::vector<CapacityEntry>& capacity) {
  json cap = json::array(), spof = json::array();
  for (const auto& c : capacity) {
    cap.push_back(capacity_entry_json(c));
    if (!c.failover_note.empty()) spof.push_back({{"element", c.element}, {"name", c.name}, {"note", c.failover_note}});
  }
  json ovl = json::array(), np = json::array();
  for (const auto& o : find_overloads(capacity)) ovl.push_back(overload_json(o));
  for (const auto& o : find_nameplate_overloads(capacity)) {
    json j = overload_json(o);
    j.erase("t_s");  // a provisioning check, not an instant of the run
    np.push_back(j);
  }
  s["overloads"] = ovl;
  s["nameplate_overloads"] = np;
  s["single_points_of_failure"] = spof;
  s["capacity"] = cap;
}

// Campus totals over the training jobs.
struct TrainingTotals {
  double useful_gpu_s = 0, allocated_gpu_s = 0, largest_period = -1;
  std::int64_t failures = 0, checkpoints = 0, largest_gpus = -1;
};

// The training figures of one job's summary entry; adds the job to the totals.
void add_training_job(json& jj, const JobSpec& job, const JobPlan& plan, const JobStats& st, TrainingTotals& t) {
  json phases = json::array();
  for (const auto& ph : plan.step)
    phases.push_back({{"phase", power::to_string(ph.phase)}, {"duration_s", to_seconds(ph.duration)}, {"gpu_w", ph.gpu_w}});
  jj["step_period_s"] = to_seconds(plan.period);
  jj["step_phases"] = phases;
  jj["power_cap_slowdown"] = plan.compute_slowdown;
  jj["steps_completed"] = st.steps_completed;
  jj["steps_lost"] = st.steps_lost;
  jj["failures"] = st.failures;
  jj["failure_times_s"] = st.failure_times_s;
  jj["checkpoint_count"] = st.checkpoints;
  jj["checkpoint_times_s"] = st.checkpoint_times_s;
  const double useful = st.useful_s(plan.uncapped_period);
  jj["goodput"] = st.allocated_s > 0 ? json(useful / st.allocated_s) : json(nullptr);
  if (plan.model_times) {
    const auto& mt = *plan.model_times;
    jj["model"] = {{"data_parallel", plan.dp},
                   {"flops_per_step", workload::step_flops(job.model->shape)},
                   {"mfu_period_s", mt.mfu_period_s},
                   {"compute_s", mt.compute_s},
                   {"pipeline_bubble_s", mt.bubble_s},
                   {"dp_allreduce_s", plan.dp_allreduce_s},
                   {"exposed_dp_allreduce_s", mt.exposed_dp_s},
                   {"pipeline_comm_s", mt.pp_comm_s},
                   {"optimizer_s", mt.optimizer_s},
                   {"microbatches", mt.microbatches},
                   {"communication_timing", plan.comm_method}};
  }
  t.useful_gpu_s += useful * static_cast<double>(plan.gpus);
  t.allocated_gpu_s += st.allocated_s * static_cast<double>(plan.gpus);
  t.failures += st.failures;
  t.checkpoints += st.checkpoints;
  if (plan.gpus > t.largest_gpus) {
    t.largest_gpus = plan.gpus;
    t.largest_period = to_seconds(plan.period);
  }
}

// Training dynamics, every job's entry and the campus totals over them.
void add_jobs(json& s, const Scenario& sc, const EngineResult& r) {
  const Recorder& rec = r.recorder;
  std::vector<double> facility_series(rec.bin_count());
  for (std::size_t k = 0; k < rec.bin_count(); ++k) facility_series[k] = rec.bin_mean_w(k, kUtility);
  // Swing: percentiles of the exact meter power over time, not of the interval means (sim/output/spectrum.h).
  const auto p95 = rec.utility_levels().quantile(0.95), p05 = rec.utility_levels().quantile(0.05);
  s["swing_mw"] = p95 && p05 ? json(mw(*p95 - *p05)) : json(nullptr);
  json jobs = json::array();
  TrainingTotals t;
  double mitigation_j = 0;
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
    const JobSpec& job = sc.jobs[j];
    const JobPlan& plan = r.plans[j];
    const JobStats& st = r.job_stats[j];
    json jj = {{"name", job.name},
               {"kind", job.kind},
               {"gpus", plan.gpus},
               {"nodes", plan.nodes},
               {"gpu_profile", sc.profiles[static_cast<std::size_t>(plan.profile)].name},
               {"start_s", job.start_s},
               {"stop_s", opt(job.stop_s, 1.0)},
               {"allocated_s", st.allocated_s},
               {"mitigation_energy_mwh", mwh(st.mitigation_energy_j)}};
    if (job.kind == "training") add_training_job(jj, job, plan, st, t);
    // Inference (models/workload/llm_serving.h): GPU energy of the running GPUs per output token
    // served; null for training jobs and when no token was served.
    const bool serving = job.kind == "inference";
    jj["output_tokens"] = serving ? json(st.output_tokens) : json(nullptr);
    jj["energy_per_output_token_j"] = serving && st.output_tokens > 0 ? json(st.serving_energy_j / st.output_tokens) : json(nullptr);
    mitigation_j += st.mitigation_energy_j;
    jobs.push_back(jj);
  }
  s["step_period_s"] = t.largest_period >= 0 ? json(t.largest_period) : json(nullptr);
  const auto alias = unresolved_period_note(sc.output_step_s, t.largest_period);
  const auto f_dom = alias ? std::nullopt : dominant_frequency_hz(facility_series, sc.output_step_s);
  s["dominant_frequency_hz"] = f_dom ? json(*f_dom) : json(nullptr);
  s["dominant_frequency_unresolved"] = alias ? json(*alias) : json(nullptr);
  s["goodput"] = t.allocated_gpu_s > 0 ? json(t.useful_gpu_s / t.allocated_gpu_s) : json(nullptr);
  s["failures"] = t.failures;
  s["checkpoint_count"] = t.checkpoints;
  // Jobs' mitigation (power floors, burn) plus the rack storage's losses (sim/facility/rack_storage.h).
  s["mitigation_energy_mwh"] = mwh(mitigation_j + (r.rack_storage ? r.rack_storage->loss_j : 0.0));
  s["rack_storage"] = r.rack_storage ? rack_storage_summary(*r.rack_storage) : json(nullptr);
  s["jobs"] = jobs;
}

}  // namespace

json make_summary(const Scenario& sc, const Facility& facility, const EngineResult& r) {
  json s;
  add_run(s, sc, facility);
  add_energy(s, sc, r.recorder);
  add_capacity(s, r.capacity);
  add_jobs(s, sc, r);
  s["engine"] = {{"events", r.stats.events},
                 {"evaluations", r.stats.evaluations},
                 {"graph_vertices", facility.vertex_count()}};
  s["not_modelled"] = {"cooling (cooling_energy_mwh and pue are null; facility figures cover IT and electrical distribution only)",
                       "GPU power rise and fall lags for GPU profiles without power_lag (their phase changes are instantaneous unless smoothing is set)",
                       "GPU junction temperatures and their feedback on power (leakage) and clocks (throttling): need a cooling object with gpu_thermal",
                       r.rack_storage ? "rack storage: efficiency vs C-rate and temperature, standby losses, ageing (see rack_storage.not_modelled)"
                                      : "rack-level energy storage (BBU, PSU storage): modelled when a rack type has storage; the facility battery when campus.storage is set"};
  s["max_junction_c"] = nullptr;
  s["throttled_gpu_hours"] = nullptr;
  s["thermal_runaway"] = nullptr;  // set by add_gpu_thermal when a cohort ran away
  add_cooling_summary(s, sc, r);
  add_price_carbon(s, sc, r.recorder);
  return s;
}

}  // namespace dctwin
