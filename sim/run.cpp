#include "sim/run.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <unistd.h>

#include "core/atomic_file.h"
#include "core/json_input.h"
#include "sim/engine/checkpoint.h"
#include "sim/facility/curtailment.h"
#include "sim/jobs/it_power_loss.h"
#include "sim/output/grid_summary.h"
#include "sim/output/summary.h"
#include "sim/facility/rating_check.h"
#include "sim/plant/cooling_plant.h"
#include "sim/plant/cooling_series.h"
#include "sim/plant/gpu_thermal.h"

namespace dctwin {

EngineResult run_engine_cooled(const Scenario& sc, const Facility& facility, EngineOptions options) {
  if (!sc.cooling) return run_engine(sc, facility, options);
  const std::vector<JobPlan> plans = plan_jobs(sc, facility);
  options.plans = &plans;
  CoolingPlant plant(sc, facility);
  plant.set_job_plans(plans);  // the loop starts settled at the starting jobs' step-mean heat
  options.continuous_step = to_simtime(sc.thermal_step_s);
  options.processes.push_back(&plant);
  std::unique_ptr<GpuThermal> gpu;
  if (sc.cooling->gpu_thermal) {
    gpu = std::make_unique<GpuThermal>(sc, facility, *sc.cooling, [&plant](bool liquid) { return plant.gpu_coolant_c(liquid); });
    options.processes.push_back(gpu.get());  // after the plant: it reads the plant's coolant of the same step
    options.feedback = gpu.get();
    options.dvfs_exponent = sc.cooling->gpu_thermal->dvfs_exponent;
  }
  // After the plant and the GPU junctions: it reads what they did over the step.
  GpuThermal* g = gpu.get();
  auto series = std::make_shared<CoolingSeries>(
      to_simtime(sc.duration_s), to_simtime(sc.output_step_s), options.continuous_step,
      CoolingSeriesColumns{plant.has_cdus(), plant.has_air_side(), g != nullptr, plant.has_towers(), plant.has_dry_coolers()},
      [&plant, g] {
        CoolingStep s = plant.last_step();
        if (g) {
          s.junction_max_c = g->last_max_junction_c();
          s.throttled_gpus = g->last_throttled_gpus();
        }
        return s;
      });
  options.processes.push_back(series.get());
  EngineResult r = run_engine(sc, facility, options);
  r.recorder.merge_cooling(plant.recorder());
  series->close(r.simulated_to);
  auto out = std::make_shared<CoolingOutcome>(plant.finish());
  out->series = series;
  if (gpu) {
    auto g = std::make_shared<GpuThermalOutcome>(gpu->finish());
    out->alarms.insert(out->alarms.end(), g->alarms.begin(), g->alarms.end());
    std::sort(out->alarms.begin(), out->alarms.end(), [](const CoolingAlarm& x, const CoolingAlarm& y) {
      return x.start_s != y.start_s ? x.start_s < y.start_s : x.kind < y.kind;
    });
    out->gpu = g;
  }
  // System heat balance, from what the meter recorded rather than from the plant's own sum: heat in
  // the space (IT + busway + UPS losses) + the heat the pumps and fans put into the facility water
  // (plant_design.h) = heat handed to the plant + heat stored in the loop.
  const auto& e = r.recorder.energy_j();
  const double space_j = e[kIt] + e[kBuswayLoss] + e[kUpsLoss];
  const double pump_fan_j = pump_fan_heat_to_facility_water_w(out->facility_pump_j, out->cdu_pump_j, out->crah_fan_j, plant.has_air_side());
  const double in_j = space_j + pump_fan_j, to_plant_j = out->heat_to_plant_j + out->stored_j;
  out->heat_balance_rel_error = std::abs(in_j - to_plant_j) / std::max({std::abs(in_j), std::abs(to_plant_j), 1e-300});
  if (!(out->heat_balance_rel_error <= kHeatBalanceTolerance))
    throw ConservationError("cooling heat balance violated: heat in the space " + std::to_string(space_j) + " J + pump and fan heat " +
                            std::to_string(pump_fan_j) + " J, handed to the plant " + std::to_string(out->heat_to_plant_j) +
                            " J + stored " + std::to_string(out->stored_j) + " J: relative error " +
                            std::to_string(out->heat_balance_rel_error));
  r.cooling = out;
  return r;
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
  series += bins * (2 * 8 + 24);  // meter P and Q (sim/output/reactive_power.h) and their CSV columns
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

namespace {
// The recorded bins that end at or before `t` (every column), for the identity check below.
std::vector<double> bins_before(const Recorder& rec, SimTime t) {
  std::vector<double> out;
  const SimTime w = rec.bin_width();
  for (std::size_t k = 0; k < rec.bin_count() && static_cast<SimTime>(k + 1) * w <= t; ++k)
    for (int c = 0; c < kColumnCount; ++c) out.push_back(rec.bin_mean_w(k, c));
  return out;
}
}  // namespace

LossRerun rerun_with_power_losses(const Scenario& sc, const Facility& facility, const EngineOptions& eo, const GridResponse& grid,
                                  EngineResult& engine) {
  const auto losses = job_power_losses(sc, facility, grid);
  const auto racks_off = rack_outages(sc, facility, grid);
  SimTime first = kNever;
  for (const auto& l : losses)
    if (!l.empty()) first = std::min(first, l.front().off);
  if (!racks_off.empty()) first = std::min(first, racks_off.front().off);
  if (first == kNever) return LossRerun::None;  // no rack lost power: the run stands
  // The whole run again (not a shortened pre-pass), from 0, with the failures injected; without
  // checkpoints (their bytes do not hold the losses). Everything before the first injected
  // failure is the same run, so the grid evaluation's loads (the bins before the first event) are
  // too: checked bin for bin.
  EngineOptions again = eo;
  again.resume_state = nullptr;
  again.checkpoint = nullptr;
  again.checkpoint_every = 0;
  again.power_losses = &losses;
  again.rack_outages = &racks_off;
  const std::vector<double> before = bins_before(engine.recorder, first);
  EngineResult e2 = run_engine_cooled(sc, facility, again);
  if (e2.partial) return LossRerun::Stopped;  // the first pass stands (its results are complete)
  if (bins_before(e2.recorder, first) != before)
    throw std::logic_error("the run with the grid events' job failures differs from the first before the first failure");
  engine = std::move(e2);
  return LossRerun::Done;
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
  RunResult r{json(), engine_or_problem(sc, facility, eo, options.resume_file), std::nullopt, std::nullopt, MeterPq{}, std::nullopt};
  // Grid events that cut IT power fail the jobs on it: the run again with those failures (below).
  std::optional<GridResponse> grid;
  if (!r.engine.partial) grid = run_grid_events(sc, facility, r.engine.recorder, to_seconds(r.engine.simulated_to));
  const LossRerun rerun = grid ? rerun_with_power_losses(sc, facility, eo, *grid, r.engine) : LossRerun::None;
  if (r.engine.partial) {
    Scenario cut = sc;  // the summary of what was simulated: [0, simulated_to)
    cut.duration_s = to_seconds(r.engine.simulated_to);
    r.summary = make_summary(cut, facility, r.engine);
  } else {
    r.summary = make_summary(sc, facility, r.engine);
  }
  r.summary["warnings"] = to_json(rating_warnings(sc));  // sim/facility/rating_check.h
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
  // Reactive power after the fact, from the recorded P (never back into it; sim/output/reactive_power.h).
  r.pq = meter_pq(reactive_elements(facility), r.engine.recorder, r.storage ? &r.storage->grid_w : nullptr);
  if (sc.grid && sc.grid->pcc)
    r.pcc = pcc_result(*sc.grid->pcc, r.pq, static_cast<int>(sc.grid->equipment.nominal_frequency_hz));
  add_reactive_summary(r.summary, r.pq, r.pcc);
  if (r.engine.rack_storage) {
    const double rerr = r.engine.rack_storage->balance_rel_error();
    if (!(rerr <= kEnergyBalanceTolerance))
      throw ConservationError("rack storage energy balance violated: relative error " + std::to_string(rerr));
  }
  r.summary["curtailments"] = nullptr;  // sim/facility/curtailment.h
  if (!sc.curtailments.empty() && !r.engine.partial) {
    const auto cs = simulate_curtailments(sc, facility, plan_jobs(sc, facility), r.engine.recorder, r.storage ? &*r.storage : nullptr);
    for (const auto& c : cs)
      if (!(c.balance_rel_error <= kEnergyBalanceTolerance))
        throw ConservationError("curtailment energy balance violated at " + c.spec.json_path + ": relative error " +
                                std::to_string(c.balance_rel_error));
    r.summary["curtailments"] = curtailments_json(cs);
  }
  r.summary["grid_events"] = nullptr;  // sim/output/grid_summary.h
  if (auto g = r.engine.partial ? run_grid_events(sc, facility, r.engine.recorder, to_seconds(r.engine.simulated_to)) : std::move(grid)) {
    r.summary["grid_events"] = grid_events_json(sc, *g, r.engine.cooling.get(), r.engine.partial || rerun == LossRerun::Stopped ? nullptr : &r.engine.job_stats, &r.engine.plans,
                                                to_seconds(r.engine.simulated_to));
    if (!(g->max_balance_rel_error <= kEnergyBalanceTolerance))
      throw ConservationError("grid event energy balance violated: relative error " + std::to_string(g->max_balance_rel_error));
    r.grid = std::move(g);
  }
  const double err = r.summary["energy_balance_rel_error"].get<double>();
  if (!(err <= kEnergyBalanceTolerance))
    throw ConservationError("energy balance violated: relative error " + std::to_string(err) +
                            " exceeds " + std::to_string(kEnergyBalanceTolerance));
  return r;
}

}  // namespace dctwin
