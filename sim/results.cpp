#include "sim/results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace dctwin {

namespace {
constexpr double kJPerMWh = 3.6e9;
double mwh(double joules) { return joules / kJPerMWh; }
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
                           {"psu_loss", mwh(it.psu_loss_w)}};
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

  json jobs = json::array();
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
    const JobSpec& job = sc.jobs[j];
    jobs.push_back({{"name", job.name},
                    {"kind", job.kind},
                    {"gpus", facility.job_gpus(static_cast<int>(j))},
                    {"start_s", job.start_s},
                    {"stop_s", opt(job.stop_s, 1.0)},
                    {"step_period_s", job.step_period_s()}});
  }
  s["jobs"] = jobs;
  s["engine"] = {{"events", r.stats.events},
                 {"evaluations", r.stats.evaluations},
                 {"graph_vertices", facility.vertex_count()}};
  s["not_modelled"] = {"cooling (cooling_energy_mwh and pue are null; facility figures cover IT and electrical distribution only)",
                       "GPU power lags, power caps, smoothing, jitter, failures and checkpoints (piecewise-constant phase power)"};
  return s;
}

RunResult run_scenario(const Scenario& sc, const RunOptions& options) {
  Facility facility(sc);
  EngineOptions eo;
  eo.progress = options.progress;
  RunResult r{json(), run_engine(sc, facility, eo)};
  r.summary = make_summary(sc, facility, r.engine);
  const double err = r.summary["energy_balance_rel_error"].get<double>();
  if (!(err <= kEnergyBalanceTolerance))
    throw ConservationError("energy balance violated: relative error " + std::to_string(err) +
                            " exceeds " + std::to_string(kEnergyBalanceTolerance));
  return r;
}

std::string timeseries_csv(const Recorder& rec) {
  std::string out = "t_s";
  for (int c = 0; c < kColumnCount; ++c) out += std::string(",") + column_name(c);
  out += "\n";
  out.reserve(out.size() + rec.bin_count() * (12 + kColumnCount * 12));
  char buf[64];
  for (std::size_t k = 0; k < rec.bin_count(); ++k) {
    std::snprintf(buf, sizeof buf, "%.3f", to_seconds(rec.bin_start(k)));
    out += buf;
    for (int c = 0; c < kColumnCount; ++c) {
      std::snprintf(buf, sizeof buf, ",%.6f", rec.bin_mean_w(k, c) / 1e6);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error(tmp + ": cannot open for writing");
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    f.flush();
    if (!f) throw std::runtime_error(tmp + ": write failed (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error(path + ": cannot rename from " + tmp + ": " + ec.message());
}

void write_results(const std::string& dir, const Scenario& /*sc*/, const RunResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create the output folder: " + ec.message());
  write_file_atomic(dir + "/timeseries.csv", timeseries_csv(r.engine.recorder));
  write_file_atomic(dir + "/summary.json", r.summary.dump(2) + "\n");
}

}  // namespace dctwin
