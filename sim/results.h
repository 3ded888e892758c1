// Results of a run and their files: summary.json and timeseries.csv (contracts documented in the
// README; keys and columns may be added, never renamed). Files are written atomically
// (temporary file + rename), so a reader never sees half a file.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "sim/engine.h"
#include "sim/facility_storage.h"
#include "sim/json_reader.h"
#include "sim/scenario.h"

namespace dctwin {

// Largest relative energy-balance error accepted at the end of a run.
inline constexpr double kEnergyBalanceTolerance = 1e-9;

class ConservationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  std::function<void(double fraction)> progress;
};

struct RunResult {
  json summary;
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
void write_file_atomic(const std::string& path, const std::string& content);
std::string timeseries_csv(const Recorder& rec);

}  // namespace dctwin
