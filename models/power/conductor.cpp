#include "models/power/conductor.h"

namespace dctwin::power {

double conductor_loss_w(const ConductorParams& p, double load_out_w) {
  const double x = load_out_w / p.rated_w;
  return p.full_load_loss_frac * p.rated_w * x * x;
}

}  // namespace dctwin::power
