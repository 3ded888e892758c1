// `dctwin comply --mitigate`: a search, by simulation, for the least costly set of the mitigations
// dctwin models that makes every evaluated requirement pass (sim/studies/comply.h).
//
// Levers (each a family of `--set` overrides driven by one strength s in (0, 1], stronger as s
// grows; the values derive from the requirements and the unmitigated run, so the same search
// fits any campus):
//   gpu_smoothing     jobs[*].smoothing: floor 20 + 70 s % of TDP (NVIDIA documents 20-90 %),
//                     ramp up/down r0 (1 - 0.75 s) W/s per GPU, r0 = the tightest meter rate the
//                     requirements allow (ramps; step max / window; range % x peak / window) / GPUs
//   facility_battery  campus.storage: power s x the unmitigated meter peak, energy power x 0.25 h
//                     (assumption: a short-duration smoothing battery), round trip 85 % (NREL ATB,
//                     utility-scale battery storage), 10-90 % window (assumption), grid ramp limit
//                     the tightest meter rate x (1 - 0.75 s)
//   rack_storage      rack_types[*].storage: the same per rack (power s x peak / racks, 0.25 h,
//                     95 % round trip and 30 s recovery as the GB300 campus's assumption)
//   power_cap         jobs[*].power_cap.gpu_w: (1 - 0.5 s) x the smallest TDP of the profiles
//   smoothing+battery a power floor alone (55 % of TDP, ramps unlimited) with facility_battery at s
// Search: every lever at s = 1 first (a lever that fails there cannot meet the requirements, and
// is not refined), then coarse-to-fine bisection of s on the levers that pass: each round runs
// `threads` strengths evenly inside the interval left (cases in parallel, run_in_threads), keeping
// the weakest passing and the strongest failing; three rounds.
//
// Pass: every check with a value passes (checks not modelled, value null, are listed in
// `not_evaluated` and no lever changes them). Worst margin: the smallest margin / limit over the
// checks with a value (dimensionless).
//
// Costs, per year of the run's behaviour (x 8760 h / the run's duration):
//   extra_energy_mwh_per_year  meter energy (after the facility battery, net of the charge the
//                              storage gained over the run) minus the unmitigated run's
//   extra_energy_usd_per_year  x the tariff: the scenario's grid.price_carbon_file mean price (its
//                              energy_cost_usd / facility_energy_mwh), else --usd-per-mwh, else null
//   battery_capital_usd        rack + facility battery energy x --battery-usd-per-kwh plus power x
//                              --battery-usd-per-kw (null when the option is not given, or no battery)
//   goodput_lost_gpu_hours_per_year  (unmitigated goodput - goodput) x GPUs in jobs x 8760 h
// Least costly: the passing option with the least goodput lost, then the least money (energy over
// --horizon-years plus capital) when every passing option can be priced, else no battery before a
// battery, then the smaller battery energy, then the least extra energy.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sim/studies/comply.h"

namespace dctwin {

struct MitigationOptions {
  unsigned threads = 1;
  std::optional<double> usd_per_mwh;          // tariff when the scenario has no price file
  std::optional<double> battery_usd_per_kwh;  // battery capital cost, energy part
  std::optional<double> battery_usd_per_kw;   // battery capital cost, power part
  double horizon_years = 10;                  // energy money over this many years when ranking by money
  int rounds = 3;                             // bisection rounds per lever
  std::function<void(std::size_t done)> on_case;  // after each case (serialized)
};

// One option tried: its sets, its compliance verdict, its costs.
struct MitigationCase {
  std::string lever;
  double strength = 0;
  std::vector<std::string> sets;
  bool pass = false;
  std::optional<double> worst_margin;  // relative
  std::string worst_check;
  std::vector<std::string> failed;
  double meter_energy_mwh = 0;
  std::optional<double> goodput;
  std::optional<double> energy_cost_usd;  // of the run (price file)
  double battery_mwh = 0, battery_mw = 0;
  std::string error;  // a case that could not run
};

// The `--set` overrides of a lever at strength s (exposed for tests).
std::vector<std::string> lever_sets(const std::string& lever, double s, const Scenario& sc, const Requirements& q,
                                    double peak_meter_mw);
const std::vector<std::string>& mitigation_levers();

// Worst relative margin over the checks with a value ("checks" of compliance.json); nullopt when none.
std::optional<double> worst_relative_margin(const json& checks, std::string* which = nullptr);

// Runs the search around an unmitigated compliance document and its run summary; the "mitigation"
// object of compliance.json.
json search_mitigation(const Requirements& q, const ComplyRequest& req, const json& base_doc, const json& base_summary,
                       const MitigationOptions& o);

}  // namespace dctwin
