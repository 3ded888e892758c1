#include "models/thermal/air_handler.h"

#include <algorithm>
#include <limits>

namespace dctwin::thermal {

double air_mass_flow_kg_s(double heat_w, double delta_t_k, double cp_j_kg_k) {
  return heat_w / (cp_j_kg_k * delta_t_k);
}

AirHandlerPoint air_handler_operate(const AirHandlerParams& p, double heat_w, double delta_t_k) {
  AirHandlerPoint r;
  r.air_flow_kg_s = air_mass_flow_kg_s(std::max(0.0, heat_w), delta_t_k);
  r.speed = std::max(r.air_flow_kg_s / p.design_air_flow_kg_s, p.min_speed);
  r.fan_power_w = p.design_fan_power_w * r.speed * r.speed * r.speed;
  r.over_capacity = r.speed > 1.0;
  return r;
}

TemperatureRange ashrae_recommended_range() { return {18.0, 27.0}; }

TemperatureRange ashrae_allowable_range(AshraeAirClass cls) {
  switch (cls) {
    case AshraeAirClass::A1: return {15.0, 32.0};
    case AshraeAirClass::A2: return {10.0, 35.0};
    case AshraeAirClass::A3: return {5.0, 40.0};
    case AshraeAirClass::A4: return {5.0, 45.0};
  }
  return {0.0, 0.0};
}

AirInletStatus ashrae_air_inlet_status(double inlet_c, AshraeAirClass cls) {
  const TemperatureRange rec = ashrae_recommended_range();
  if (inlet_c >= rec.low_c && inlet_c <= rec.high_c) return AirInletStatus::Recommended;
  const TemperatureRange all = ashrae_allowable_range(cls);
  if (inlet_c >= all.low_c && inlet_c <= all.high_c) return AirInletStatus::Allowable;
  return AirInletStatus::OutOfRange;
}

double ashrae_liquid_class_max_supply_c(AshraeLiquidClass cls) {
  switch (cls) {
    case AshraeLiquidClass::W17: return 17.0;
    case AshraeLiquidClass::W27: return 27.0;
    case AshraeLiquidClass::W32: return 32.0;
    case AshraeLiquidClass::W40: return 40.0;
    case AshraeLiquidClass::W45: return 45.0;
    case AshraeLiquidClass::WPlus: return std::numeric_limits<double>::infinity();
  }
  return 0.0;
}

bool ashrae_liquid_class_allows(AshraeLiquidClass cls, double supply_c) {
  return supply_c <= ashrae_liquid_class_max_supply_c(cls);
}

AshraeLiquidClass ashrae_liquid_class_for_supply(double supply_c) {
  for (AshraeLiquidClass c : {AshraeLiquidClass::W17, AshraeLiquidClass::W27, AshraeLiquidClass::W32,
                              AshraeLiquidClass::W40, AshraeLiquidClass::W45}) {
    if (supply_c <= ashrae_liquid_class_max_supply_c(c)) return c;
  }
  return AshraeLiquidClass::WPlus;
}

}  // namespace dctwin::thermal
