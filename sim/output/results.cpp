#include "sim/output/results.h"
#include "core/units.h"

#include "sim/plant/cooling_plant.h"
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

json make_summary(const Scenario& sc, const Facility& facility, const EngineResult& r) {
  const Recorder& rec = r.recorder;
  const auto& e = rec.energy_j();
  const ItBreakdown& it = rec.it_energy_j();
  const double dur = sc.duration_s;

  json s;
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
  s["duration_s"] = dur;
  s["output_step_s"] = sc.output_step_s;

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

  json cap = json::array(), spof = json::array();
  for (const auto& c : r.capacity) {
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
    if (!c.failover_note.empty()) {
      j["failover_note"] = c.failover_note;
      spof.push_back({{"element", c.element}, {"name", c.name}, {"note", c.failover_note}});
    }
    cap.push_back(j);
  }
  auto overload_json = [](const Overload& o) {
    return json{{"element", o.element},           {"name", o.name},
                {"condition", o.condition},       {"load_kw", kw(o.load_w)},
                {"rating_kw", kw(o.rating_w)},    {"margin_kw", kw(o.margin_w())},
                {"margin_pct", 100.0 * o.margin_w() / o.rating_w}, {"t_s", o.t_s}};
  };
  json ovl = json::array(), np = json::array();
  for (const auto& o : find_overloads(r.capacity)) ovl.push_back(overload_json(o));
  for (const auto& o : find_nameplate_overloads(r.capacity)) {
    json j = overload_json(o);
    j.erase("t_s");  // a provisioning check, not an instant of the run
    np.push_back(j);
  }
  s["overloads"] = ovl;
  s["nameplate_overloads"] = np;
  s["single_points_of_failure"] = spof;
  s["capacity"] = cap;

  // Training dynamics.
  std::vector<double> facility_series(rec.bin_count());
  for (std::size_t k = 0; k < rec.bin_count(); ++k) facility_series[k] = rec.bin_mean_w(k, kUtility);
  s["swing_mw"] = mw(quantile(facility_series, 0.95) - quantile(facility_series, 0.05));
  const auto f_dom = dominant_frequency_hz(facility_series, sc.output_step_s);
  s["dominant_frequency_hz"] = f_dom ? json(*f_dom) : json(nullptr);
  json jobs = json::array();
  double useful_gpu_s = 0, allocated_gpu_s = 0, mitigation_j = 0, largest_period = -1;
  std::int64_t failures = 0, checkpoints = 0, largest_gpus = -1;
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
    if (job.kind == "training") {
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
      const double useful = st.useful_s(plan.period);
      jj["goodput"] = st.allocated_s > 0 ? json(useful / st.allocated_s) : json(nullptr);
      if (plan.model_times) {
        const auto& t = *plan.model_times;
        jj["model"] = {{"data_parallel", plan.dp},
                       {"flops_per_step", workload::step_flops(job.model->shape)},
                       {"compute_s", t.compute_s},
                       {"pipeline_bubble_s", t.bubble_s},
                       {"dp_allreduce_s", plan.dp_allreduce_s},
                       {"exposed_dp_allreduce_s", t.exposed_dp_s},
                       {"pipeline_comm_s", t.pp_comm_s},
                       {"optimizer_s", t.optimizer_s},
                       {"microbatches", t.microbatches},
                       {"communication_timing", plan.comm_method}};
      }
      useful_gpu_s += useful * static_cast<double>(plan.gpus);
      allocated_gpu_s += st.allocated_s * static_cast<double>(plan.gpus);
      failures += st.failures;
      checkpoints += st.checkpoints;
      if (plan.gpus > largest_gpus) {
        largest_gpus = plan.gpus;
        largest_period = to_seconds(plan.period);
      }
    }
    mitigation_j += st.mitigation_energy_j;
    jobs.push_back(jj);
  }
  s["step_period_s"] = largest_period >= 0 ? json(largest_period) : json(nullptr);
  s["goodput"] = allocated_gpu_s > 0 ? json(useful_gpu_s / allocated_gpu_s) : json(nullptr);
  s["failures"] = failures;
  s["checkpoint_count"] = checkpoints;
  // Jobs' mitigation (power floors, burn) plus the rack storage's losses (sim/facility/rack_storage.h).
  s["mitigation_energy_mwh"] = mwh(mitigation_j + (r.rack_storage ? r.rack_storage->loss_j : 0.0));
  s["rack_storage"] = r.rack_storage ? rack_storage_summary(*r.rack_storage) : json(nullptr);
  s["jobs"] = jobs;
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
  add_cooling_summary(s, sc, r);
  return s;
}

namespace {

std::string read_checkpoint(const std::string& path, std::uint64_t hash) {
  Problems problems;
  const std::string bytes = read_text_file(path, problems, std::size_t{16} << 30);
  if (!problems.empty()) throw InputError(problems);
  try {
    return parse_checkpoint_file(bytes, hash).payload;
  } catch (const CheckpointError& e) {
    problems.add(path, "checkpoint", e.expected(), e.found());
    throw InputError(problems);
  }
}

EngineResult engine_or_problem(const Scenario& sc, const Facility& facility, const EngineOptions& eo, const std::string& resume_file) {
  try {
    return run_engine_cooled(sc, facility, eo);
  } catch (const CheckpointError& e) {
    Problems problems;
    problems.add(resume_file.empty() ? sc.source : resume_file, "checkpoint", e.expected(), e.found());
    throw InputError(problems);
  }
}

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g GiB", bytes / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

void check_memory(const Scenario& sc, const Facility& facility, const RunOptions& options) {
  std::size_t groups = 0;
  for (std::size_t v = 0; v < facility.vertex_count(); ++v) groups += facility.graph()[v].stage == Stage::Rack;
  const MemoryEstimate est = estimate_run_memory(sc, groups);
  const bool from_option = options.max_memory_bytes > 0;
  const double limit = from_option ? options.max_memory_bytes : available_memory_bytes();
  if (limit > 0 && est.bytes > limit) {
    Problems problems;
    problems.add(sc.source, "$.simulation",
                 "a run that fits in " + gib(limit) + (from_option ? " (--max-memory-gb)" : " (available memory, MemAvailable)") +
                     "; lengthen output_step_s or rack_series_step_s, or shorten duration_s",
                 "an estimated " + gib(est.bytes) + " (" + est.detail + ")");
    throw InputError(problems);
  }
}

}  // namespace

MemoryEstimate estimate_run_memory(const Scenario& sc, std::size_t rack_groups) {
  const double bins = std::ceil(sc.duration_s / sc.output_step_s);
  const double intervals = std::ceil(sc.duration_s / std::min(sc.duration_s, sc.rack_series_step_s));
  const double row = static_cast<double>(kColumnCount) * 8.0;
  // Recorder bins (+ the cooling plant's), the summary's copy of the facility series and its
  // spectrum, timeseries.csv text (~12 bytes a value), storage series and storage.csv.
  double series = bins * (row * (sc.cooling ? 2 : 1) + 8 * 4 + 12.0 * (static_cast<double>(kColumnCount) + 1));
  if (sc.storage) series += bins * (5 * 8 + 60);
  // Cooling series (sim/plant/cooling_series.h): 12 doubles an interval and ~160 bytes of cooling.csv.
  if (sc.cooling) series += std::ceil(bins / std::max(1.0, std::ceil(sc.thermal_step_s / sc.output_step_s))) * (12 * 8 + 160);
  // Rack series cells (min, max, energy) and racks.csv text (~60 bytes a line).
  const double racks = intervals * static_cast<double>(rack_groups) * (24 + 60);
  MemoryEstimate e;
  e.bytes = series + racks + 64.0 * 1024 * 1024;  // + program, facility graph, job plans
  e.detail = std::to_string(static_cast<long long>(bins)) + " output intervals: " + gib(series) + "; " +
             std::to_string(static_cast<long long>(intervals)) + " rack-series intervals x " + std::to_string(rack_groups) +
             " rack groups: " + gib(racks);
  return e;
}

double available_memory_bytes() {
  std::ifstream f("/proc/meminfo");
  std::string key;
  double kb = 0;
  std::string unit;
  while (f >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024.0;
  const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

RunResult run_scenario(const Scenario& sc, const RunOptions& options) {
  Facility facility(sc);
  check_memory(sc, facility, options);
  EngineOptions eo;
  eo.progress = options.progress;
  eo.stop = options.stop;
  std::string resume_state;
  if (!options.resume_file.empty()) {
    resume_state = read_checkpoint(options.resume_file, sc.content_hash);
    eo.resume_state = &resume_state;
  }
  if (!options.checkpoint_file.empty()) {
    eo.checkpoint_every = options.checkpoint_every_s > 0 ? to_simtime(options.checkpoint_every_s) : 0;
    eo.checkpoint = [&](const std::string& state, SimTime t) {
      write_file_atomic(options.checkpoint_file, checkpoint_file_bytes(sc.content_hash, t, state));
    };
  }
  RunResult r{json(), engine_or_problem(sc, facility, eo, options.resume_file), std::nullopt};
  if (r.engine.partial) {
    Scenario cut = sc;  // the summary of what was simulated: [0, simulated_to)
    cut.duration_s = to_seconds(r.engine.simulated_to);
    r.summary = make_summary(cut, facility, r.engine);
  } else {
    r.summary = make_summary(sc, facility, r.engine);
  }
  r.summary["partial"] = r.engine.partial;
  r.summary["requested_duration_s"] = sc.duration_s;
  r.summary["storage"] = nullptr;
  if (sc.storage) {
    r.storage = run_storage(*sc.storage, sc.storage_initial_soc, r.engine.recorder);
    r.summary["storage"] = storage_summary(*r.storage, *sc.storage, sc.output_step_s);
    const double serr = r.storage->balance_rel_error();
    if (!(serr <= kEnergyBalanceTolerance))
      throw ConservationError("storage energy balance violated: relative error " + std::to_string(serr));
  }
  if (r.engine.rack_storage) {
    const double rerr = r.engine.rack_storage->balance_rel_error();
    if (!(rerr <= kEnergyBalanceTolerance))
      throw ConservationError("rack storage energy balance violated: relative error " + std::to_string(rerr));
  }
  const double err = r.summary["energy_balance_rel_error"].get<double>();
  if (!(err <= kEnergyBalanceTolerance))
    throw ConservationError("energy balance violated: relative error " + std::to_string(err) +
                            " exceeds " + std::to_string(kEnergyBalanceTolerance));
  return r;
}

std::string timeseries_csv(const Recorder& rec) {
  std::string out = "t_s";
  const int columns = rec.has_cooling() ? kColumnCount : kCooling;  // cooling_mw only when modelled
  for (int c = 0; c < columns; ++c) out += std::string(",") + column_name(c);
  out += "\n";
  out.reserve(out.size() + rec.bin_count() * (12 + kColumnCount * 12));
  char buf[64];
  for (std::size_t k = 0; k < rec.bin_count(); ++k) {
    std::snprintf(buf, sizeof buf, "%.3f", to_seconds(rec.bin_start(k)));
    out += buf;
    for (int c = 0; c < columns; ++c) {
      std::snprintf(buf, sizeof buf, ",%.6f", rec.bin_mean_w(k, c) / 1e6);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

void write_results(const std::string& dir, const Scenario& /*sc*/, const RunResult& r) {
  create_output_folder(dir);
  write_file_atomic(dir + "/timeseries.csv", timeseries_csv(r.engine.recorder));
  if (r.storage) write_file_atomic(dir + "/storage.csv", storage_csv(*r.storage, r.engine.recorder));
  if (r.engine.racks) write_file_atomic(dir + "/racks.csv", r.engine.racks->csv());
  if (r.engine.cooling && r.engine.cooling->series)
    write_file_atomic(dir + "/cooling.csv", r.engine.cooling->series->csv(r.engine.recorder));
  write_file_atomic(dir + "/summary.json", r.summary.dump(2) + "\n");
}

}  // namespace dctwin
