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

UpsParams ups_high_efficiency_vfi(double rated_w) { return UpsParams{rated_w, 0.004, 0.017, 0.012}; }

UpsParams ups_legacy_wp108(double rated_w) { return UpsParams{rated_w, 0.009, 0.033, 0.003}; }

UpsParams ups_default_double_conversion(double rated_w) { return ups_high_efficiency_vfi(rated_w); }

const std::vector<std::string>& ups_curve_names() {
  static const std::vector<std::string> names{"high-efficiency-vfi", "legacy-wp108"};
  return names;
}

std::optional<UpsParams> ups_named_curve(std::string_view name, double rated_w) {
  if (name == "high-efficiency-vfi") return ups_high_efficiency_vfi(rated_w);
  if (name == "legacy-wp108") return ups_legacy_wp108(rated_w);
  return std::nullopt;
}

}  // namespace dctwin::power
