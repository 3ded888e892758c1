// Curtailment events the utility asks for (`grid.curtailments`) and how the campus answers them
// (`flexibility`): docs/scenario.md, sections "Grid" and "Flexibility". Read strictly by the
// scenario loader (every problem with its JSON path, exit 2); evaluated by sim/facility/curtailment.h.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace dctwin {

struct CurtailmentSpec {
  double at_s = 0;        // start of the window
  double notice_s = 0;    // the utility's notice before at_s
  double duration_s = 0;  // length of the window
  std::optional<double> reduce_pct;  // reduction relative to the meter power just before notice
  std::optional<double> target_w;    // or an absolute ceiling at the meter (W)
  std::string json_path;             // "$.grid.curtailments[0]"
};

enum class FlexStrategy { FacilityBattery, PowerCap, CheckpointPause, InferenceShed, Defer };
inline constexpr int kFlexStrategyCount = 5;
const char* to_string(FlexStrategy s);  // "facility_battery", "power_cap", ...

struct FlexibilitySpec {
  // In the order they are used; each covers what the ones before it left.
  std::vector<FlexStrategy> strategies;
  // Lowest GPU power cap the power_cap strategy sets, as a fraction of TDP.
  double min_cap_fraction = 0.5;
};

// The default order: no progress lost first (battery, deferrable jobs), then slowed progress
// (power caps), then paused training, then inference service.
std::vector<FlexStrategy> default_flex_strategies();

inline constexpr std::size_t kMaxCurtailments = 1000;

// $.grid.curtailments when present (events in time order, windows not overlapping).
std::vector<CurtailmentSpec> read_curtailments(JsonReader& grid, double run_duration_s);
// $.flexibility (defaults when absent).
FlexibilitySpec read_flexibility(JsonReader& root);

}  // namespace dctwin
