#include "models/power/power_factor.h"

#include <array>
#include <cmath>

namespace dctwin::power {

namespace {
// ENERGY STAR Computer Servers PSU power factor minimums (see the header).
constexpr std::array<std::array<double, 2>, 4> kPsuPf = {{{0.10, 0.65}, {0.20, 0.80}, {0.50, 0.90}, {1.00, 0.95}}};
}  // namespace

double psu_power_factor(double x) {
  if (x <= kPsuPf.front()[0]) return kPsuPf.front()[1];
  for (std::size_t i = 1; i < kPsuPf.size(); ++i)
    if (x <= kPsuPf[i][0]) {
      const auto& a = kPsuPf[i - 1];
      const auto& b = kPsuPf[i];
      return a[1] + (x - a[0]) / (b[0] - a[0]) * (b[1] - a[1]);
    }
  return kPsuPf.back()[1];
}

double reactive_power_var(double p_w, double pf) { return p_w * std::sqrt(1 - pf * pf) / pf; }

}  // namespace dctwin::power
