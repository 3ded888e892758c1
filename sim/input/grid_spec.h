// The scenario's optional "grid" object (docs/scenario.md, section "Grid"): what the utility feed
// does to the campus. `events` are the disturbances at the meter (voltage sags, frequency
// deviations, outages; a reclose sequence is several sags); `equipment` sets the ride-through
// behaviour of the power equipment (models/power/ride_through.h, every default labelled there).
// Parsed and validated by read_grid_spec(), called by the scenario loader; without the object no
// disturbance is simulated (summary.json's grid_events is null).
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "models/power/ride_through.h"
#include "sim/input/requirements.h"

namespace dctwin {

// Every key the "grid" object accepts, in one place (each is read by its own reader).
inline constexpr std::array<const char*, 6> kGridKeys = {"curtailments", "events", "equipment", "pcc", "price_carbon_file",
                                                         "start_time"};

enum class GridEventKind { VoltageSag, FrequencyDeviation, Outage };
const char* to_string(GridEventKind k);  // "voltage_sag", "frequency_deviation", "outage"

struct GridEventSpec {
  GridEventKind kind = GridEventKind::VoltageSag;
  double at_s = 0;
  double duration_s = 0;
  double remaining_pu = 1.0;  // voltage during the event (outage: 0; frequency deviation: 1)
  std::optional<double> frequency_hz;  // frequency_deviation only
  std::string json_path;      // "$.grid.events[2]"
};

struct GridSpec {
  std::vector<GridEventSpec> events;  // in time order, not overlapping
  power::RideThroughParams equipment;
  // The point of common coupling (`pcc`, the same object as a requirements file's): with it the run
  // computes the PCC voltage and its flicker (sim/output/reactive_power.h).
  std::optional<PccSpec> pcc;
};

inline constexpr std::size_t kMaxGridEvents = 1000;

// Reads $.grid when present (nullopt otherwise). `run_duration_s` bounds the events' start.
// Problems go to the reader's problem list (file, JSON path, expected, found).
std::optional<GridSpec> read_grid_spec(JsonReader& root, double run_duration_s);

// The equipment object alone (defaults for every key absent; `r` may be invalid: defaults).
power::RideThroughParams read_ride_through_params(JsonReader& r);

}  // namespace dctwin
