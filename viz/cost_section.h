// The utility report's "Cost and emissions" section: the run's energy cost and location-based (and,
// when given, marginal) emissions over time, with the price and carbon-intensity series behind
// them, from DIR/cost_emissions.csv (sim/output/price_carbon_summary.h), whose buckets sum to
// summary.json energy_cost_usd, emissions_t_co2 and emissions_marginal_t_co2. Without a price
// series (scenario grid.price_carbon_file) the section says so in words.
#pragma once
#include "viz/report_page.h"

namespace dctwin::viz {

void cost_emissions_section(Doc& d, Ctx& x);

}  // namespace dctwin::viz
