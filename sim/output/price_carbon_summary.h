// summary.json's energy cost and emissions (models/grid/price_carbon.h): energy_cost_usd,
// emissions_t_co2 (location-based) and emissions_marginal_t_co2 over the run's meter energy;
// null when the scenario has no grid.price_carbon_file (not modelled, never 0), the marginal
// figure null also when the file has no marginal column.
#pragma once
#include <string>

#include "core/json_reader.h"
#include "sim/engine/recorder.h"
#include "sim/input/scenario.h"

namespace dctwin {

void add_price_carbon(json& summary, const Scenario& sc, const Recorder& rec);

// The bucket of cost_emissions.csv: the longest of 1 h, 15 min, 5 min, 1 min, 10 s and 1 s that
// gives the run at least 12 buckets (hourly for any run of 12 h or more), never shorter than the
// output step.
double cost_bucket_s(double duration_s, double output_step_s);

// cost_emissions.csv (written beside timeseries.csv when the scenario has grid.price_carbon_file):
// one row per bucket of cost_bucket_s, t_s (bucket start), duration_s, energy_mwh, cost_usd,
// emissions_t_co2, [marginal_emissions_t_co2], usd_per_mwh, kg_co2_per_mwh,
// [marginal_kg_co2_per_mwh] (the marginal columns only with the file's marginal column; prices
// and intensities are time-weighted means over the bucket). Integrated by the same loop as the
// summary's totals (models/grid/price_carbon_buckets.h): its columns sum to them. Empty without a
// price series.
std::string cost_emissions_csv(const Scenario& sc, const Recorder& rec);

// The meter power per output bin as the integrator takes it: edges (s, bin_count + 1) and means (W).
void meter_bins(const Recorder& rec, std::vector<double>& edges_s, std::vector<double>& mean_w);

}  // namespace dctwin
