#pragma once
/**
 * @file price_carbon.h
 * @brief An electricity price and grid carbon-intensity series, and the cost and emissions of a
 *        metered power series under it.
 *
 * ## Equation
 *
 * The series is a step function: row j holds from its time t_j until the next row's (the last
 * row until the end of the run). Over meter power P(t) (W), piecewise constant on output bins:
 *
 *     cost_usd     = ∫ P(t) price(t) dt / 3.6e9                 (price in USD/MWh; 3.6e9 J per MWh)
 *     emissions_t  = ∫ P(t) intensity(t) dt / 3.6e9 / 1000      (intensity in kg CO2/MWh)
 *
 * evaluated exactly: each bin is split at the series' steps. Within one output bin the power is
 * its bin mean (the recorder's exact energy over the bin), so a price step inside a bin shares
 * the bin's energy in proportion to time; with steps on bin boundaries (hourly prices and an
 * output step dividing 3600 s) the result is the exact integral of the metered energy.
 *
 * ## Parameters (CSV columns)
 *
 * | column                  | unit        | meaning                                                    |
 * | ----------------------- | ----------- | ---------------------------------------------------------- |
 * | t_s or time             | s / ISO     | row start: seconds from the run start, or an ISO 8601 UTC  |
 * |                         |             | time (YYYY-MM-DDThh:mm[:ss][Z or ±hh:mm]) with start_time |
 * | usd_per_mwh             | USD/MWh     | energy price (may be negative, as wholesale prices can be) |
 * | kg_co2_per_mwh          | kg CO2/MWh  | location-based (average) grid intensity                    |
 * | marginal_kg_co2_per_mwh | kg CO2/MWh  | optional: marginal emissions rate                          |
 *
 * ## Validity
 *
 * Location-based emissions (grid-average intensity) as defined by the GHG Protocol Scope 2
 * Guidance (WRI/WBCSD, 2015); a marginal rate is the emissions of the generation that responds
 * to a change in load (the same guidance's discussion of marginal factors).
 * Accounting only: the campus does not change the price or the intensity (a price-taker). The
 * first row must be at or before the run start. Demand charges, capacity charges and taxes are
 * not modelled.
 */
#include <optional>
#include <string_view>
#include <vector>

#include "models/text/parse_issue.h"

namespace dctwin::grid {

struct PriceCarbonSeries {
  std::vector<double> t_s;                      ///< row start, s from the run start; strictly increasing
  std::vector<double> usd_per_mwh;              ///< USD/MWh
  std::vector<double> kg_co2_per_mwh;           ///< kg CO2/MWh, location-based
  std::vector<double> marginal_kg_co2_per_mwh;  ///< empty when the file has no marginal column
  bool has_marginal() const { return !marginal_kg_co2_per_mwh.empty(); }
};

inline constexpr std::size_t kMaxPriceCarbonRows = 2000000;

/// Seconds since 1970-01-01T00:00Z of "YYYY-MM-DDThh:mm[:ss[.f]][Z|±hh:mm]" (no offset: UTC);
/// nullopt when malformed or out of range (years 1900..2200).
std::optional<double> parse_iso_time(std::string_view s);

/// Parses the CSV. `start_epoch_s`: the run's t = 0 (seconds since the epoch) for a `time`
/// column; nullopt makes a `time` column an issue. Every problem goes to `issues`.
PriceCarbonSeries parse_price_carbon(std::string_view text, std::optional<double> start_epoch_s, text::ParseIssues& issues);

struct CostEmissions {
  double energy_mwh = 0;
  double cost_usd = 0;
  double emissions_t_co2 = 0;
  std::optional<double> marginal_emissions_t_co2;  ///< when the series has the marginal column
};

/// Integrates over power bins: bin k covers [edges[k], edges[k+1]) s at mean_w[k] W
/// (edges.size() == mean_w.size() + 1, increasing, edges[0] >= series.t_s[0]).
CostEmissions integrate_cost_emissions(const PriceCarbonSeries& series, const std::vector<double>& edges_s,
                                       const std::vector<double>& mean_w);

}  // namespace dctwin::grid
