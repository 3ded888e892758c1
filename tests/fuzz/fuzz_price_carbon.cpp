// libFuzzer harness: the price and carbon CSV reader (models/grid/price_carbon.h). Any input gives
// a series or issues with a line; when it parses, times strictly increase from at or before 0, the
// columns have one value per row, and the integral over a fixed power series is finite with its
// energy exactly that series' energy. Seeds: corpus/price_carbon/.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/grid/price_carbon.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dctwin::text::ParseIssues issues;
  const auto s = dctwin::grid::parse_price_carbon(text, 1751328000.0, issues);
  if (!issues.empty()) return 0;
  const std::size_t n = s.t_s.size();
  if (n == 0 || s.usd_per_mwh.size() != n || s.kg_co2_per_mwh.size() != n || (s.has_marginal() && s.marginal_kg_co2_per_mwh.size() != n))
    __builtin_trap();
  if (!(s.t_s[0] <= 0)) __builtin_trap();
  for (std::size_t i = 1; i < n; ++i)
    if (!(s.t_s[i] > s.t_s[i - 1])) __builtin_trap();
  const auto c = dctwin::grid::integrate_cost_emissions(s, {0, 3600, 7200, 86400}, {1e6, 2e6, 1e6});
  if (std::abs(c.energy_mwh - (1 + 2 + 22)) > 1e-9 || !std::isfinite(c.cost_usd) || !(c.emissions_t_co2 >= 0)) __builtin_trap();
  return 0;
}
