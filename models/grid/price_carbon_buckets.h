#pragma once
/**
 * @file price_carbon_buckets.h
 * @brief The cost and emissions of a metered power series (models/grid/price_carbon.h) per time
 *        bucket, with the price and intensity in force over each bucket.
 *
 * ## Equation
 *
 * Bucket m covers [t_0 + m·B, t_0 + (m+1)·B) of the run: ceil(T / B) buckets for a run of T s,
 * the last one ending with the run; t_0 the first power bin's start, B the bucket length (s).
 * Each bucket's figures are the integrals of price_carbon.h restricted to it:
 *
 *     cost_m      = ∫_m P(t) price(t) dt / 3.6e9            (USD)
 *     emissions_m = ∫_m P(t) intensity(t) dt / 3.6e9 / 1000  (t CO2)
 *
 * with power bins split exactly at the series' steps and at the bucket edges (within a bin the
 * power is its mean), so the buckets tile the run and their sums are the run's totals
 * (integrate_cost_emissions is the one-bucket case of the same loop). The bucket's price and
 * intensity are the series' time-weighted means over it: (1/B_m) ∫_m price(t) dt.
 *
 * ## Parameters
 *
 * | name     | unit | meaning                                           |
 * | -------- | ---- | ------------------------------------------------- |
 * | bucket_s | s    | bucket length B, > 0 (infinity: one bucket)       |
 *
 * ## Validity
 *
 * As price_carbon.h (accounting only, a price-taking load; GHG Protocol Scope 2 Guidance, WRI/WBCSD
 * 2015, for location-based and marginal factors).
 */
#include <optional>
#include <vector>

#include "models/grid/price_carbon.h"

namespace dctwin::grid {

struct CostBucket {
  double t0_s = 0, t1_s = 0;  ///< bucket start and end, s from the run start
  CostEmissions totals;       ///< energy (MWh), cost (USD), emissions (t CO2) within the bucket
  double usd_per_mwh = 0;     ///< time-weighted mean price over the bucket
  double kg_co2_per_mwh = 0;  ///< time-weighted mean location-based intensity
  std::optional<double> marginal_kg_co2_per_mwh;  ///< when the series has the marginal column
};

/// The integrals of integrate_cost_emissions per bucket of `bucket_s` seconds (same bins:
/// edges.size() == mean_w.size() + 1, increasing, edges[0] >= series.t_s[0]); empty when the
/// series or the bins are empty.
std::vector<CostBucket> integrate_cost_emissions_by_bucket(const PriceCarbonSeries& series, const std::vector<double>& edges_s,
                                                           const std::vector<double>& mean_w, double bucket_s);

}  // namespace dctwin::grid
