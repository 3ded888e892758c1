#include "models/thermal/pump.h"

#include <algorithm>

namespace dctwin::thermal {

double pump_hydraulic_power_w(double flow_m3_s, double head_pa) { return flow_m3_s * head_pa; }

double pump_power_w(double flow_m3_s, double head_pa, double efficiency) {
  return flow_m3_s * head_pa / efficiency;
}

double pump_head_pa_from_m(double head_m, double density_kg_m3) {
  return density_kg_m3 * kStandardGravity * head_m;
}

double pump_heat_to_fluid_w(double electric_w, double motor_efficiency, double motor_loss_to_fluid) {
  return electric_w * (motor_efficiency + (1.0 - motor_efficiency) * motor_loss_to_fluid);
}

PumpPoint pump_at_speed(const PumpDesign& d, double speed) {
  const double design_power_w = pump_power_w(d.flow_m3_s, d.head_pa, d.efficiency);
  return PumpPoint{speed, d.flow_m3_s * speed, d.head_pa * speed * speed,
                   design_power_w * speed * speed * speed};
}

PumpPoint pump_for_flow(const PumpDesign& d, double flow_m3_s) {
  return pump_at_speed(d, std::max(flow_m3_s / d.flow_m3_s, d.min_speed));
}

}  // namespace dctwin::thermal
