#include "models/weather/design_day.h"

#include <algorithm>
#include <cmath>

namespace dctwin::weather {

double design_day_fraction(double t_s) {
  double t = std::fmod(t_s, 86400.0);
  if (t < 0.0) t += 86400.0;
  const double x = t / 3600.0;  // clock hours, 0 <= x < 24
  const auto h0 = static_cast<std::size_t>(std::floor(x));
  const double w = x - static_cast<double>(h0);
  // value at clock hour h (0..24): hour 0 == hour 24 -> table index 23; hour h>0 -> index h-1
  auto at = [](std::size_t h) { return kAshraeDailyRangeFraction[h == 0 ? 23 : h - 1]; };
  return (1.0 - w) * at(h0) + w * at(std::min<std::size_t>(h0 + 1, 24));
}

DesignDayConditions design_day_at(const DesignDayParams& p, double t_s) {
  const double f = design_day_fraction(t_s);
  const double db = p.design_dry_bulb_c - f * p.daily_range_k;
  double wb = p.coincident_wet_bulb_c - f * p.wet_bulb_range_k;
  const bool saturated = wb > db;
  if (saturated) wb = db;
  return {db, wb, saturated};
}

DesignDayParams design_day_default() { return DesignDayParams{33.3, 10.5, 23.7, 0.0}; }

DesignDayParams design_day_from(const DesignConditions& dc) {
  return DesignDayParams{dc.cooling_db_004_c, dc.cooling_db_range_k, dc.cooling_mcwb_004_c, 0.0};
}

}  // namespace dctwin::weather
