#include "models/power/transformer.h"

namespace dctwin::power {

double transformer_loss_w(const TransformerParams& p, double load_out_w, double power_factor) {
  const double s_va = load_out_w / power_factor;
  const double fraction = s_va / (p.rated_kva * 1000.0);
  return p.no_load_loss_w + p.load_loss_w * fraction * fraction;
}

double transformer_efficiency(const TransformerParams& p, double load_out_w, double power_factor) {
  if (load_out_w <= 0.0) return 0.0;
  return load_out_w / (load_out_w + transformer_loss_w(p, load_out_w, power_factor));
}

}  // namespace dctwin::power
