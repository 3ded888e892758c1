#include "models/thermal/economizer.h"

#include <algorithm>

namespace dctwin::thermal {

EconomizerPoint waterside_economizer(double load_w, double return_c, double supply_setpoint_c,
                                     double cooling_water_c, double hx_approach_k, double tolerance_k) {
  EconomizerPoint r;
  const double t_hx = cooling_water_c + hx_approach_k;
  if (t_hx <= supply_setpoint_c + tolerance_k) {
    r.mode = EconomizerMode::Full;
    r.free_fraction = 1.0;
  } else if (t_hx >= return_c) {
    r.mode = EconomizerMode::Off;
    r.free_fraction = 0.0;
  } else {
    r.mode = EconomizerMode::Partial;
    r.free_fraction = (return_c - t_hx) / (return_c - supply_setpoint_c);
  }
  r.free_load_w = r.free_fraction * load_w;
  r.chiller_load_w = load_w - r.free_load_w;
  r.hx_leaving_c = r.mode == EconomizerMode::Full ? supply_setpoint_c : std::max(supply_setpoint_c, std::min(return_c, t_hx));
  return r;
}

}  // namespace dctwin::thermal
