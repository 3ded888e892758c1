// Where a run starts. run_scenario takes a validated Scenario (sim/input/scenario_loader.h) to its
// results:
//
//   Facility(sc)                 the power graph, from the utility meter down to the nodes
//                                (sim/facility/facility.h), and a memory check before anything big
//   run_engine_cooled            the discrete-event engine (sim/engine/engine.h) with, when the
//                                scenario has a "cooling" object, the cooling plant and the GPU
//                                junctions as continuous processes (sim/plant/)
//   make_summary                 summary.json's figures (sim/output/summary.h)
//   conservation checks          energy in = energy out + losses + stored, for the facility, the
//                                facility battery and rack storage; heat balance of the plant
//
// then write_results (sim/output/results.h) writes the files and viz/ the reports.
#pragma once
#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "core/problems.h"
#include "sim/engine/engine.h"
#include "sim/facility/facility_storage.h"
#include "sim/facility/grid_response.h"
#include "sim/input/scenario.h"
#include "sim/output/reactive_power.h"

namespace dctwin {

// Largest relative energy-balance error accepted at the end of a run.
inline constexpr double kEnergyBalanceTolerance = 1e-9;

struct RunOptions {
  std::function<void(double fraction)> progress;
  // Checkpoints (sim/engine/checkpoint.h): written atomically to `checkpoint_file` every
  // `checkpoint_every_s` of simulated time (0: never) and when the run is stopped.
  double checkpoint_every_s = 0;
  std::string checkpoint_file;
  // Continue from this checkpoint file (written for the same scenario); "": start at 0.
  std::string resume_file;
  // When it becomes true the run stops at the next event boundary and returns partial results.
  const std::atomic<bool>* stop = nullptr;
  // Memory the run may use, bytes; 0: the available physical memory (MemAvailable).
  double max_memory_bytes = 0;
};

// Estimated peak memory of a run (bytes): output series, rack series, the files' text. Used to
// refuse a run that would not fit before anything large is allocated.
struct MemoryEstimate {
  double bytes = 0;
  std::string detail;  // the largest parts, in words
};
MemoryEstimate estimate_run_memory(const Scenario& sc, std::size_t rack_groups);
// Available physical memory in bytes (/proc/meminfo MemAvailable, else sysconf), 0 when unknown.
double available_memory_bytes();

struct RunResult {
  json summary;  // "partial": true when stopped early (RunOptions::stop), up to "duration_s"
  EngineResult engine;
  std::optional<StorageSeries> storage;  // when the scenario has a facility battery
  std::optional<GridResponse> grid;      // when the scenario has grid.events (grid_events.csv)
  MeterPq pq;                            // P and Q at the meter per output step (sim/output/reactive_power.h)
  std::optional<PccResult> pcc;          // when the scenario has grid.pcc
};

// When grid events (`grid`, evaluated on `engine`'s loads) cut the supply of racks: runs the engine
// again from 0 with the failures of the jobs on them injected and the racks drawing nothing while
// without supply (sim/jobs/it_power_loss.h) and puts that run into `engine` (Done). Checks that
// every output bin ending at or before the first injected failure or rack outage is the same in
// both runs, bit for bit (throws std::logic_error if not). None: no rack lost power; Stopped: the
// rerun was stopped (EngineOptions::stop), `engine` untouched.
enum class LossRerun { None, Done, Stopped };
LossRerun rerun_with_power_losses(const Scenario& sc, const Facility& facility, const EngineOptions& eo, const GridResponse& grid,
                                  EngineResult& engine);

// Builds the facility, runs the engine, computes the summary and checks the energy balance
// (throws ConservationError when it fails).
RunResult run_scenario(const Scenario& sc, const RunOptions& options = {});

// run_engine with the cooling plant when the scenario has a "cooling" object (plain run_engine
// otherwise): continuous step = simulation.thermal_step_s, the plant's power merged into the
// recorder (kCooling, and kUtility), EngineResult::cooling set. Throws ConservationError when the
// heat balance misses by more than kHeatBalanceTolerance.
EngineResult run_engine_cooled(const Scenario& sc, const Facility& facility, EngineOptions options);

}  // namespace dctwin
