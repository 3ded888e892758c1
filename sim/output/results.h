// The files of a run: summary.json, timeseries.csv, racks.csv, and when modelled storage.csv,
// cooling.csv and cost_emissions.csv (with grid.price_carbon_file) (contracts documented in the README; keys and columns may be added, never renamed).
// Files are written atomically (temporary file + rename), so a reader never sees half a file.
#pragma once
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "sim/engine/recorder.h"
#include "sim/input/scenario.h"
#include "sim/run.h"

namespace dctwin {

// Writes DIR/summary.json, DIR/timeseries.csv, DIR/racks.csv, and storage.csv and cooling.csv
// when the run has them (creating DIR). Throws std::runtime_error naming the
// path when a file cannot be written.
void write_results(const std::string& dir, const Scenario& sc, const RunResult& r);
// `clock` (optional; an EPW weather): a local_time column after t_s, the interval start's wall-clock
// time from the EPW's calendar (WeatherSpec::local_time).
std::string timeseries_csv(const Recorder& rec, const WeatherSpec* clock = nullptr, const MeterPq* pq = nullptr);
// The EPW weather of a scenario, for the local_time columns; nullptr without one.
const WeatherSpec* epw_clock(const Scenario& sc);
// The names of the files write_results writes for this run, summary.json first.
std::vector<std::string> result_files(const RunResult& r);

}  // namespace dctwin
