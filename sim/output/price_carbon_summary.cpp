#include "sim/output/price_carbon_summary.h"

#include <array>
#include <cstdio>

#include "models/grid/price_carbon_buckets.h"

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

double cost_bucket_s(double duration_s, double output_step_s) {
  static constexpr std::array<double, 6> kLadder = {3600, 900, 300, 60, 10, 1};
  double b = kLadder.back();
  for (const double l : kLadder)
    if (duration_s >= 12 * l) {
      b = l;
      break;
    }
  return std::max(b, output_step_s);
}

std::string cost_emissions_csv(const Scenario& sc, const Recorder& rec) {
  if (!sc.price_carbon) return {};
  std::vector<double> edges, mean;
  meter_bins(rec, edges, mean);
  const double duration = edges.empty() ? 0.0 : edges.back() - edges.front();
  const bool marginal = sc.price_carbon->has_marginal();
  const auto buckets = grid::integrate_cost_emissions_by_bucket(*sc.price_carbon, edges, mean,
                                                                cost_bucket_s(duration, sc.output_step_s));
  std::string out = marginal ? "t_s,duration_s,energy_mwh,cost_usd,emissions_t_co2,marginal_emissions_t_co2,usd_per_mwh,kg_co2_per_mwh,"
                               "marginal_kg_co2_per_mwh\n"
                             : "t_s,duration_s,energy_mwh,cost_usd,emissions_t_co2,usd_per_mwh,kg_co2_per_mwh\n";
  char buf[96];
  // Integrals to 15 digits (they sum to the summary's totals); the mean price and intensities to 10.
  const auto add = [&](double v, int digits = 15) {
    std::snprintf(buf, sizeof buf, ",%.*g", digits, v);
    out += buf;
  };
  for (const auto& b : buckets) {
    std::snprintf(buf, sizeof buf, "%.3f", b.t0_s);
    out += buf;
    add(b.t1_s - b.t0_s);
    add(b.totals.energy_mwh);
    add(b.totals.cost_usd);
    add(b.totals.emissions_t_co2);
    if (marginal) add(b.totals.marginal_emissions_t_co2.value_or(0));
    add(b.usd_per_mwh, 10);
    add(b.kg_co2_per_mwh, 10);
    if (marginal) add(b.marginal_kg_co2_per_mwh.value_or(0), 10);
    out += "\n";
  }
  return out;
}

}  // namespace dctwin
