// summary.json's energy cost and emissions (models/grid/price_carbon.h): energy_cost_usd,
// emissions_t_co2 (location-based) and emissions_marginal_t_co2 over the run's meter energy;
// null when the scenario has no grid.price_carbon_file (not modelled, never 0), the marginal
// figure null also when the file has no marginal column.
#pragma once
#include "core/json_reader.h"
#include "sim/engine/recorder.h"
#include "sim/input/scenario.h"

namespace dctwin {

void add_price_carbon(json& summary, const Scenario& sc, const Recorder& rec);

// The meter power per output bin as the integrator takes it: edges (s, bin_count + 1) and means (W).
void meter_bins(const Recorder& rec, std::vector<double>& edges_s, std::vector<double>& mean_w);

}  // namespace dctwin
