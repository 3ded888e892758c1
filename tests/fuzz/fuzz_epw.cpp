// libFuzzer harness: the EPW reader (models/weather/epw.h). Any input gives weather or issues with
// a line; when it parses, the conditions at a few instants must be finite. Seeds: corpus/epw/.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/weather/epw.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dctwin::weather::ParseIssues issues;
  const auto w = dctwin::weather::parse_epw(text, issues);
  if (!issues.empty()) return 0;
  for (double t : {0.0, 1800.0, 86400.0 * 200.5, 3.15e7, -5.0, 1e12}) {
    const auto c = dctwin::weather::epw_conditions_at(w, t);
    if (!std::isfinite(c.dry_bulb_c) || !std::isfinite(c.dew_point_c) || !std::isfinite(c.pressure_pa)) __builtin_trap();
  }
  (void)dctwin::weather::epw_annual_mean_dry_bulb_c(w);
  (void)dctwin::weather::epw_hottest_hour_index(w);
  return 0;
}
