// Results of a run and their files: summary.json and timeseries.csv (contracts documented in the
// README; keys and columns may be added, never renamed). Files are written atomically
// (temporary file + rename), so a reader never sees half a file.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "core/atomic_file.h"
#include "core/problems.h"
#include "sim/engine/engine.h"
#include "sim/facility/facility_storage.h"
#include "core/json_reader.h"
#include "sim/input/scenario.h"

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
};

// Builds the facility, runs the engine, computes the summary and checks the energy balance
// (throws ConservationError when it fails).
RunResult run_scenario(const Scenario& sc, const RunOptions& options = {});

json make_summary(const Scenario& sc, const Facility& facility, const EngineResult& r);

// Writes DIR/summary.json and DIR/timeseries.csv (creating DIR). Throws std::runtime_error
// naming the path when a file cannot be written.
void write_results(const std::string& dir, const Scenario& sc, const RunResult& r);
std::string timeseries_csv(const Recorder& rec);

}  // namespace dctwin
