#include "models/thermal/rack_heat.h"

namespace dctwin::thermal {

RackHeatSplit rack_heat_split(double rack_power_w, double liquid_capture_fraction) {
  const double liquid = liquid_capture_fraction * rack_power_w;
  return {liquid, rack_power_w - liquid};
}

double coolant_rise_k(double heat_w, double flow_kg_s, double cp_j_kg_k) { return heat_w / (flow_kg_s * cp_j_kg_k); }

double coolant_flow_for_rise_kg_s(double heat_w, double rise_k, double cp_j_kg_k) {
  return heat_w / (cp_j_kg_k * rise_k);
}

}  // namespace dctwin::thermal
