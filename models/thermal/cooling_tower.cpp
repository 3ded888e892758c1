#include "models/thermal/cooling_tower.h"

#include <algorithm>
#include <cmath>

namespace dctwin::thermal {

std::array<double, 27> yorkcalc_coefficients() {
  return {-0.359741205,        -0.055053608,     0.0023850432,     0.173926877,
          -0.0248473764,       0.00048430224,    -0.005589849456,  0.0005770079712,
          -0.00001342427256,   2.84765801111111, -0.121765149,     0.0014599242,
          1.680428651,         -0.0166920786,    -0.0007190532,    -0.025485194448,
          0.0000487491696,     0.00002719234152, -0.0653766255555556, -0.002278167,
          0.0002500254,        -0.0910565458,    0.00318176316,    0.000038621772,
          -0.0034285382352,    0.00000856589904, -0.000001516821552};
}

double yorkcalc_approach_k(const std::array<double, 27>& c, double wet_bulb_c, double range_k,
                           double lg_ratio) {
  const double t[3] = {1.0, wet_bulb_c, wet_bulb_c * wet_bulb_c};
  const double r[3] = {1.0, range_k, range_k * range_k};
  const double l[3] = {1.0, lg_ratio, lg_ratio * lg_ratio};
  double sum = 0.0;
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 3; ++i) sum += c[static_cast<std::size_t>(9 * k + 3 * j + i)] * t[i] * r[j] * l[k];
  return sum;
}

double cooling_tower_reference_water_flow_ratio(const CoolingTowerParams& p) {
  // approach increases with LG over the calibrated region; bisection on FR_w with FR_air = 1
  double lo = 0.01;
  double hi = 8.0;
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double a = yorkcalc_approach_k(p.coefficients, p.design_wet_bulb_c, p.design_range_k, mid);
    if (a > p.design_approach_k) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return 0.5 * (lo + hi);
}

bool cooling_tower_within_yorkcalc_range(double wet_bulb_c, double range_k, double approach_k,
                                         double water_flow_ratio, double lg_ratio) {
  return wet_bulb_c >= -34.4 && wet_bulb_c <= 26.7 && range_k >= 1.1 && range_k <= 22.2 &&
         approach_k >= 1.1 && approach_k <= 40.0 && water_flow_ratio >= 0.75 &&
         water_flow_ratio <= 1.25 && lg_ratio <= 8.0;
}

namespace {

struct TowerCase {
  double range_k;
  double fr_water;
};

TowerCase tower_case(const CoolingTowerParams& p, double heat_w, double water_flow_kg_s) {
  return {heat_w / (water_flow_kg_s * kCpWaterJkgK),
          water_flow_kg_s / p.design_water_flow_kg_s * cooling_tower_reference_water_flow_ratio(p)};
}

double leaving_at(const CoolingTowerParams& p, const TowerCase& tc, double wet_bulb_c, double fr_air) {
  return wet_bulb_c + yorkcalc_approach_k(p.coefficients, wet_bulb_c, tc.range_k, tc.fr_water / fr_air);
}

}  // namespace

double cooling_tower_leaving_water_c(const CoolingTowerParams& p, double heat_w,
                                     double water_flow_kg_s, double wet_bulb_c,
                                     double air_flow_ratio) {
  return leaving_at(p, tower_case(p, heat_w, water_flow_kg_s), wet_bulb_c, air_flow_ratio);
}

CoolingTowerPoint cooling_tower_operate(const CoolingTowerParams& p, double heat_w,
                                        double water_flow_kg_s, double wet_bulb_c,
                                        double leaving_setpoint_c) {
  const TowerCase tc = tower_case(p, heat_w, water_flow_kg_s);
  CoolingTowerPoint r;
  r.heat_rejected_w = heat_w;
  r.range_k = tc.range_k;
  r.water_flow_ratio = tc.fr_water;
  auto finish = [&](TowerRegime regime, double fr_air, double on_fraction, double leaving_c) {
    r.regime = regime;
    r.air_flow_ratio = fr_air;
    r.fan_on_fraction = on_fraction;
    r.fan_power_w = p.design_fan_power_w * fr_air * fr_air * fr_air * on_fraction;
    r.leaving_water_c = leaving_c;
    r.entering_water_c = leaving_c + tc.range_k;
    r.approach_k = leaving_c - wet_bulb_c;
    r.setpoint_met = leaving_c <= leaving_setpoint_c + 1e-6;
    return r;
  };

  if (heat_w <= 0.0) return finish(TowerRegime::Off, 0.0, 0.0, wet_bulb_c);  // idle: no heat, no fan

  const double t_full = leaving_at(p, tc, wet_bulb_c, 1.0);
  if (t_full >= leaving_setpoint_c) return finish(TowerRegime::FullSpeed, 1.0, 1.0, t_full);

  const double t_free = leaving_at(p, tc, wet_bulb_c, p.free_convection_fraction);
  if (t_free <= leaving_setpoint_c)
    return finish(TowerRegime::FreeConvection, p.free_convection_fraction, 0.0, t_free);

  const double t_min = leaving_at(p, tc, wet_bulb_c, p.min_air_flow_ratio);
  if (t_min <= leaving_setpoint_c) {
    const double on = (t_free - leaving_setpoint_c) / (t_free - t_min);
    return finish(TowerRegime::FanCycling, p.min_air_flow_ratio, on, leaving_setpoint_c);
  }

  // t_min > setpoint > t_full: the leaving temperature falls as FR_air rises
  double lo = p.min_air_flow_ratio;
  double hi = 1.0;
  for (int i = 0; i < 200 && hi - lo > 1e-10; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (leaving_at(p, tc, wet_bulb_c, mid) > leaving_setpoint_c) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const double fr = 0.5 * (lo + hi);
  return finish(TowerRegime::VariableSpeed, fr, 1.0, leaving_at(p, tc, wet_bulb_c, fr));
}

TowerWaterParams tower_water_energyplus_defaults() {
  return TowerWaterParams{EvaporationMethod::SaturatedExit, 2.4e6, 0.002, 8.0e-5, 3.0, 0.0};
}

double tower_design_air_flow_m3_s(double design_fan_power_w) { return design_fan_power_w * 0.5 / 190.0; }

namespace {

// Humidity ratio of saturated air at t_c (kg/kg dry air).
double saturated_humidity_ratio(double t_c, double p_pa) {
  return humidity_ratio_from_vapour_pressure(saturation_vapour_pressure_pa(t_c), p_pa);
}

}  // namespace

double tower_saturated_exit_evaporation_kg_s(double heat_w, double air_volume_flow_m3_s,
                                             const TowerInletAir& air) {
  if (heat_w <= 0.0 || air_volume_flow_m3_s <= 0.0) return 0.0;
  const double w_in = humidity_ratio_from_wet_bulb(air.dry_bulb_c, air.wet_bulb_c, air.pressure_pa);
  const double m_da = air_volume_flow_m3_s / moist_air_specific_volume_m3_kg(air.dry_bulb_c, w_in, air.pressure_pa);
  const double h_out = moist_air_enthalpy_j_kg(air.dry_bulb_c, w_in) + heat_w / m_da;
  // h_sat(t) increases with t: bisection on [-60 C, 200 C] (the saturation pressure's range)
  double lo = -60.0;
  double hi = 200.0;
  for (int i = 0; i < 200 && hi - lo > 1e-9; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (moist_air_enthalpy_j_kg(mid, saturated_humidity_ratio(mid, air.pressure_pa)) < h_out) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const double w_out = saturated_humidity_ratio(0.5 * (lo + hi), air.pressure_pa);
  return std::max(0.0, m_da * (w_out - w_in));
}

TowerWater cooling_tower_water(const TowerWaterParams& w, double heat_w, double water_flow_kg_s,
                               double range_k, double air_flow_ratio, const TowerInletAir& air) {
  TowerWater r;
  switch (w.method) {
    case EvaporationMethod::LatentHeat: r.evaporation_kg_s = heat_w / w.latent_heat_j_kg; break;
    case EvaporationMethod::LossFactor: r.evaporation_kg_s = w.loss_factor_per_k * range_k * water_flow_kg_s; break;
    case EvaporationMethod::SaturatedExit:
      r.evaporation_kg_s = tower_saturated_exit_evaporation_kg_s(heat_w, air_flow_ratio * w.design_air_flow_m3_s, air);
      break;
  }
  r.evaporation_kg_s = std::max(0.0, r.evaporation_kg_s);
  r.drift_kg_s = std::max(0.0, w.drift_fraction * water_flow_kg_s * air_flow_ratio);
  r.blowdown_kg_s =
      std::max(0.0, r.evaporation_kg_s / (w.cycles_of_concentration - 1.0) - r.drift_kg_s);
  r.makeup_kg_s = r.evaporation_kg_s + r.drift_kg_s + r.blowdown_kg_s;
  return r;
}

}  // namespace dctwin::thermal
