#include "models/thermal/psychrometrics.h"

#include <cmath>

namespace dctwin::thermal {

namespace {
constexpr double kKelvinOffset = 273.15;
constexpr double kTriplePointC = 0.01;
}  // namespace

double saturation_vapour_pressure_pa(double t_c) {
  const double t = t_c + kKelvinOffset;
  double ln_p = 0.0;
  if (t_c < kTriplePointC) {
    // ASHRAE 2017 ch. 1 eq. 5 (over ice)
    ln_p = -5.6745359e+03 / t + 6.3925247e+00 - 9.6778430e-03 * t + 6.2215701e-07 * t * t +
           2.0747825e-09 * t * t * t - 9.4840240e-13 * t * t * t * t + 4.1635019e+00 * std::log(t);
  } else {
    // ASHRAE 2017 ch. 1 eq. 6 (over liquid water)
    ln_p = -5.8002206e+03 / t + 1.3914993e+00 - 4.8640239e-02 * t + 4.1764768e-05 * t * t -
           1.4452093e-08 * t * t * t + 6.5459673e+00 * std::log(t);
  }
  return std::exp(ln_p);
}

double humidity_ratio_from_vapour_pressure(double vapour_pressure_pa, double p_pa) {
  return kMolarMassRatioWaterAir * vapour_pressure_pa / (p_pa - vapour_pressure_pa);
}

double humidity_ratio_from_dew_point(double dew_c, double p_pa) {
  return humidity_ratio_from_vapour_pressure(saturation_vapour_pressure_pa(dew_c), p_pa);
}

double humidity_ratio_from_rh(double t_c, double rh, double p_pa) {
  return humidity_ratio_from_vapour_pressure(rh * saturation_vapour_pressure_pa(t_c), p_pa);
}

double humidity_ratio_from_wet_bulb(double t_c, double wet_bulb_c, double p_pa) {
  const double ws = humidity_ratio_from_dew_point(wet_bulb_c, p_pa);  // saturation at t*
  const double ts = wet_bulb_c;
  if (ts >= 0.0) {
    return ((2501.0 - 2.326 * ts) * ws - 1.006 * (t_c - ts)) / (2501.0 + 1.86 * t_c - 4.186 * ts);
  }
  return ((2830.0 - 0.24 * ts) * ws - 1.006 * (t_c - ts)) / (2830.0 + 1.86 * t_c - 2.1 * ts);
}

double relative_humidity_from_humidity_ratio(double t_c, double w, double p_pa) {
  const double pw = p_pa * w / (kMolarMassRatioWaterAir + w);
  return pw / saturation_vapour_pressure_pa(t_c);
}

double wet_bulb_from_humidity_ratio_c(double t_c, double w, double p_pa) {
  double lo = -100.0;
  double hi = t_c;
  for (int i = 0; i < 200 && hi - lo > 1e-9; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (humidity_ratio_from_wet_bulb(t_c, mid, p_pa) > w) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return 0.5 * (lo + hi);
}

double wet_bulb_from_rh_c(double t_c, double rh, double p_pa) {
  return wet_bulb_from_humidity_ratio_c(t_c, humidity_ratio_from_rh(t_c, rh, p_pa), p_pa);
}

double wet_bulb_from_dew_point_c(double t_c, double dew_c, double p_pa) {
  return wet_bulb_from_humidity_ratio_c(t_c, humidity_ratio_from_dew_point(dew_c, p_pa), p_pa);
}

double moist_air_enthalpy_j_kg(double t_c, double w) {
  return 1000.0 * (1.006 * t_c + w * (2501.0 + 1.86 * t_c));
}

double moist_air_specific_volume_m3_kg(double t_c, double w, double p_pa) {
  return 287.042 * (t_c + kKelvinOffset) * (1.0 + 1.607858 * w) / p_pa;
}

double moist_air_density_kg_m3(double t_c, double w, double p_pa) {
  return (1.0 + w) / moist_air_specific_volume_m3_kg(t_c, w, p_pa);
}

}  // namespace dctwin::thermal
