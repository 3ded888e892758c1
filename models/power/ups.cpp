#include "models/power/ups.h"

namespace dctwin::power {

double ups_loss_w(const UpsParams& p, double load_out_w) {
  const double no_load_w = p.no_load_loss_frac * p.rated_w;
  if (p.mode == UpsMode::Eco) return p.eco_loss_frac * load_out_w + no_load_w * p.eco_standby_share;
  const double x = load_out_w / p.rated_w;
  return no_load_w + p.rated_w * (p.proportional_loss_frac * x + p.square_loss_frac * x * x);
}

double ups_efficiency(const UpsParams& p, double load_out_w) {
  if (load_out_w <= 0.0) return 0.0;
  return load_out_w / (load_out_w + ups_loss_w(p, load_out_w));
}

UpsParams ups_default_double_conversion(double rated_w) {
  return UpsParams{rated_w, 0.009, 0.033, 0.003};
}

}  // namespace dctwin::power
