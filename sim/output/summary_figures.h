// The headline figures of a run's summary.json (sim/output/summary.h writes it), read back in one
// place with their types: what `dctwin run` prints and what a what-if table compares. Figures that
// summary.json gives as null (or leaves out) without cooling, without IT energy or without
// cooling.gpu_thermal are std::optional here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace dctwin {

// One element found over its rating during the run (summary.json "overloads").
struct OverloadFigures {
  std::string element, condition;
  double load_kw = 0, rating_kw = 0, margin_kw = 0;
};

struct SummaryFigures {
  std::int64_t gpus = 0, gpus_in_jobs = 0;
  double peak_it_mw = 0, mean_it_mw = 0;              // MW
  double peak_facility_mw = 0, mean_facility_mw = 0;  // MW, at the utility meter
  double it_energy_mwh = 0, losses_energy_mwh = 0;    // MWh
  double max_ramp_up_mw_per_s = 0, max_ramp_down_mw_per_s = 0, ramp_window_s = 0;
  std::vector<OverloadFigures> overloads;

  bool cooling_modelled = false;
  // Without cooling: all empty. pue and wue_l_per_kwh also without IT energy.
  std::optional<double> cooling_energy_mwh, pue, wue_l_per_kwh;
  std::optional<double> free_cooling_full_h, free_cooling_partial_h, chiller_hours, max_facility_water_c;
  // Without cooling.gpu_thermal: empty.
  std::optional<double> max_junction_c, throttled_gpu_hours;
  std::size_t alarms = 0;  // cooling alarms (0 without cooling)
  // Plant failures (what-if): the time from the first failure to the first alarm after it (empty:
  // no failure, or no alarm after it), and the summary's "plant_failures" as written (null: none).
  std::optional<double> time_to_first_alarm_s;
  json plant_failures;
  // Without grid.price_carbon_file: empty (models/grid/price_carbon.h).
  std::optional<double> energy_cost_usd, emissions_t_co2;
};

// Throws (a json exception) when a figure every summary has is missing or of the wrong type.
SummaryFigures read_summary_figures(const json& summary);

}  // namespace dctwin
