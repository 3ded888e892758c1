#include "sim/output/price_carbon_summary.h"

namespace dctwin {

void meter_bins(const Recorder& rec, std::vector<double>& edges_s, std::vector<double>& mean_w) {
  edges_s.clear();
  mean_w.clear();
  for (std::size_t k = 0; k < rec.bin_count(); ++k) {
    edges_s.push_back(to_seconds(rec.bin_start(k)));
    mean_w.push_back(rec.bin_mean_w(k, kUtility));
  }
  if (rec.bin_count() > 0) edges_s.push_back(to_seconds(rec.bin_start(rec.bin_count() - 1) + rec.bin_length(rec.bin_count() - 1)));
}

void add_price_carbon(json& s, const Scenario& sc, const Recorder& rec) {
  if (!sc.price_carbon) {
    s["energy_cost_usd"] = nullptr;
    s["emissions_t_co2"] = nullptr;
    s["emissions_marginal_t_co2"] = nullptr;
    return;
  }
  std::vector<double> edges, mean;
  meter_bins(rec, edges, mean);
  const grid::CostEmissions c = grid::integrate_cost_emissions(*sc.price_carbon, edges, mean);
  s["energy_cost_usd"] = c.cost_usd;
  s["emissions_t_co2"] = c.emissions_t_co2;
  s["emissions_marginal_t_co2"] = c.marginal_emissions_t_co2 ? json(*c.marginal_emissions_t_co2) : json(nullptr);
}

}  // namespace dctwin
