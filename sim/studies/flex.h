// dctwin flex: what curtailment the campus can offer and what it costs. Every case (reduction
// depth x duration x notice) is one curtailment evaluated by sim/facility/curtailment.h with the
// scenario's flexibility strategies.
//
// Documented reduction: ONE run serves every case. The scenario runs once for
// kSettleS + the longest notice + the longest duration + kReboundS at a kFlexOutputStepS output
// step, with node failures off (the offer is for normal operation); every case's window starts at
// kSettleS + the longest notice on that run's series. The cases are then evaluated in parallel
// (run_in_threads), each on the recorded window and its rebound.
//
// With a price series (grid.price_carbon_file) it also picks the most expensive hours of the
// series for curtailment at 0.25 / 0.5 / 1 % of its hours: the MW offered is the deepest reduction
// held for one hour with no notice; the cost is that case's GPU-hours and extra energy per hour
// picked, the savings the energy not bought at those hours' prices less the extra energy bought
// at the series' mean price.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sim/input/scenario.h"

namespace dctwin {

inline constexpr double kSettleS = 3600;        // the run before the earliest notice
inline constexpr double kReboundS = 3600;       // the run after the longest window
inline constexpr double kFlexOutputStepS = 60;  // output step of the one run

struct FlexOptions {
  std::vector<double> depths_pct = {5, 10, 20, 30, 40, 50};
  std::vector<double> durations_s = {900, 1800, 3600, 7200, 14400, 28800};
  std::vector<double> notices_s = {0, 600, 3600};
  unsigned threads = 1;
};

struct FlexCase {
  double depth_pct = 0, duration_s = 0, notice_s = 0;
  double reference_w = 0, asked_w = 0, achieved_w = 0;
  bool feasible = false;
  std::vector<std::pair<std::string, double>> mix;  // strategy, mean MW
  double goodput_lost_gpu_h = 0, extra_energy_j = 0, energy_shifted_j = 0;
  std::optional<double> cost_usd;  // energy cost change over the window and after it (price series)
};

struct FlexOffer {
  double hours_pct = 0;
  std::size_t hours = 0;
  double offered_w = 0;
  double goodput_lost_gpu_h = 0, extra_energy_j = 0;
  double savings_usd = 0;
};

struct FlexMap {
  std::vector<FlexCase> cases;
  std::vector<FlexOffer> offers;  // empty without a price series
  double run_s = 0;               // simulated time of the one run
};

FlexMap flex_map(const Scenario& sc, const FlexOptions& o);
std::string flex_csv(const FlexMap& m);
json flex_json(const FlexMap& m);

}  // namespace dctwin
