// The utility report's first screen: the four figures a manager asks for, above everything else.
//
//   recommended contracted capacity = highest 15-minute demand (mean meter power over a complete,
//                                     clock-aligned 15-min interval, viz/demand.h) x (1 + margin);
//                                     none without a complete 15-minute interval
//   instantaneous peak              = summary.json peak_facility_mw; flagged above the contracted
//                                     capacity, with the excursions of the output-step series
//                                     (timeseries.csv facility_mw) above it: count and share of time
//   PUE and its weather window      = summary.json pue (meter energy / IT energy over the run), with
//                                     the stretch of weather the run covers (summary.json
//                                     cooling.weather, duration_s): a design day is periodic from
//                                     00:00, an EPW run starts at 00:00 of its start day
//   N-1 headroom                    = the smallest margin after the loss of one unit over the rated
//                                     element groups of summary.json capacity[] (failover_margin_pct,
//                                     failover_margin_kw per unit); groups without redundancy (N) have
//                                     no such margin and are counted apart
//
// What a run does not give is said in words ("not modelled", "not available"), never a 0.
#pragma once
#include <optional>
#include <string>

#include "core/json_reader.h"
#include "viz/demand.h"

namespace dctwin::viz {

class Doc;
struct Ctx;

// The highest 15-minute demand x (1 + margin_pct / 100); nullopt without a 15-minute peak.
std::optional<double> contracted_capacity_mw(const std::optional<Peak>& peak_15min, double margin_pct);

// The weather a run's figures cover: `window` ("00:00–01:00 of the design day", "a year of
// chicago.epw from day 1"), `weather` (summary.json cooling.weather as written). Empty window when
// the summary has no cooling object (cooling not modelled).
struct WeatherWindow {
  std::string window;
  std::string weather;
};
WeatherWindow weather_window(const json& summary, double duration_s);

// "PUE 1.253 (00:00–01:00 of the design day)" or "PUE not modelled (...)": how every mention of
// the run's PUE reads.
std::string pue_with_window(const json& summary, double duration_s);

struct N1Headroom {
  std::optional<double> margin_pct;  // the smallest failover_margin_pct; nullopt when no group has one
  std::optional<double> margin_kw;   // that group's failover_margin_kw (per unit)
  std::string name;                  // that group's name (or element path)
  std::size_t groups = 0;            // entries of capacity[]
  std::size_t no_redundancy = 0;     // entries without a failover margin (N)
  std::size_t overloaded = 0;        // entries whose failover margin is negative
};
// nullopt when summary.json has no capacity[] entries.
std::optional<N1Headroom> n1_headroom(const json& summary);

// The card of the four figures, written first in the utility report. `peak_15min`: the highest
// 15-minute demand (nullopt when the run has no complete 15-minute interval) and `why_not` why not.
void key_figures_card(Doc& d, const Ctx& x, const std::optional<Peak>& peak_15min, const std::string& why_not);

}  // namespace dctwin::viz
