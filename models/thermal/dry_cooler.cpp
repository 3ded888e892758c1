#include "models/thermal/dry_cooler.h"

#include <algorithm>
#include <cmath>

namespace dctwin::thermal {

double crossflow_unmixed_effectiveness(double ntu, double capacity_ratio) {
  if (ntu <= 0.0) return 0.0;
  if (capacity_ratio < 1e-9) return 1.0 - std::exp(-ntu);
  return 1.0 - std::exp(std::pow(ntu, 0.22) / capacity_ratio *
                        (std::exp(-capacity_ratio * std::pow(ntu, 0.78)) - 1.0));
}

double dry_cooler_ua_from_design(double design_heat_w, double water_in_c, double air_in_c,
                                 double water_flow_kg_s, double air_flow_kg_s) {
  const double cw = water_flow_kg_s * kCpWaterJkgK;
  const double ca = air_flow_kg_s * kCpAirJkgK;
  const double cmin = std::min(cw, ca);
  const double cr = cmin / std::max(cw, ca);
  const double eps = design_heat_w / (cmin * (water_in_c - air_in_c));
  double lo = 0.0;
  double hi = 1.0;
  while (crossflow_unmixed_effectiveness(hi, cr) < eps && hi < 1e6) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (crossflow_unmixed_effectiveness(mid, cr) < eps) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi) * cmin;
}

double dry_cooler_ua_w_k(const DryCoolerParams& p, double water_flow_kg_s, double fan_speed) {
  const double r = p.air_to_water_ha_ratio;
  const double ha_w = p.ua_design_w_k * (1.0 + r) / r *
                      std::pow(water_flow_kg_s / p.design_water_flow_kg_s, p.water_exponent);
  const double ha_a = p.ua_design_w_k * (1.0 + r) * std::pow(fan_speed, p.air_exponent);
  return 1.0 / (1.0 / ha_w + 1.0 / ha_a);
}

DryCoolerPoint dry_cooler_at_speed(const DryCoolerParams& p, double heat_w, double water_flow_kg_s,
                                   double dry_bulb_c, double fan_speed) {
  DryCoolerPoint r;
  r.fan_speed = fan_speed;
  r.ua_w_k = dry_cooler_ua_w_k(p, water_flow_kg_s, fan_speed);
  const double cw = water_flow_kg_s * kCpWaterJkgK;
  const double ca = fan_speed * p.design_air_flow_kg_s * kCpAirJkgK;
  const double cmin = std::min(cw, ca);
  r.effectiveness = crossflow_unmixed_effectiveness(r.ua_w_k / cmin, cmin / std::max(cw, ca));
  r.entering_water_c = dry_bulb_c + heat_w / (r.effectiveness * cmin);
  r.leaving_water_c = r.entering_water_c - heat_w / cw;
  r.approach_k = r.leaving_water_c - dry_bulb_c;
  r.fan_power_w = p.design_fan_power_w * fan_speed * fan_speed * fan_speed;
  return r;
}

DryCoolerPoint dry_cooler_operate(const DryCoolerParams& p, double heat_w, double water_flow_kg_s,
                                  double dry_bulb_c, double leaving_setpoint_c) {
  auto mark = [&](DryCoolerPoint r) {
    r.setpoint_met = r.leaving_water_c <= leaving_setpoint_c + 1e-6;
    return r;
  };
  const DryCoolerPoint full = dry_cooler_at_speed(p, heat_w, water_flow_kg_s, dry_bulb_c, 1.0);
  if (full.leaving_water_c >= leaving_setpoint_c) return mark(full);
  const DryCoolerPoint slow =
      dry_cooler_at_speed(p, heat_w, water_flow_kg_s, dry_bulb_c, p.min_fan_speed);
  if (slow.leaving_water_c <= leaving_setpoint_c) return mark(slow);
  double lo = p.min_fan_speed;
  double hi = 1.0;
  for (int i = 0; i < 200 && hi - lo > 1e-10; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (dry_cooler_at_speed(p, heat_w, water_flow_kg_s, dry_bulb_c, mid).leaving_water_c >
        leaving_setpoint_c) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return mark(dry_cooler_at_speed(p, heat_w, water_flow_kg_s, dry_bulb_c, 0.5 * (lo + hi)));
}

}  // namespace dctwin::thermal
