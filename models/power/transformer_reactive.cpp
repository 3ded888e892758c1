#include "models/power/transformer_reactive.h"

#include <cmath>

namespace dctwin::power {

TransformerReactiveParams transformer_reactive_default(double rated_kva) { return {rated_kva, 1.0, 5.75, 6.0}; }

double transformer_magnetising_var(const TransformerReactiveParams& p) { return p.no_load_current_pct / 100 * p.rated_kva * 1e3; }

double transformer_leakage_var(const TransformerReactiveParams& p, double s_va) {
  const double s_rated = p.rated_kva * 1e3;
  const double x_pu = p.impedance_pct / 100 * p.x_over_r / std::sqrt(1 + p.x_over_r * p.x_over_r);
  return x_pu * s_va * s_va / s_rated;
}

double transformer_reactive_var(const TransformerReactiveParams& p, double s_va) {
  return transformer_magnetising_var(p) + transformer_leakage_var(p, s_va);
}

}  // namespace dctwin::power
