#include "models/power/psu.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace dctwin::power {
namespace {

// Efficiency from the curve for x >= first point (flat beyond the last point).
double interpolate(const std::vector<EfficiencyPoint>& c, double x) {
  for (std::size_t i = 1; i < c.size(); ++i) {
    if (x <= c[i].load_fraction) {
      const double t = (x - c[i - 1].load_fraction) / (c[i].load_fraction - c[i - 1].load_fraction);
      return c[i - 1].efficiency + t * (c[i].efficiency - c[i - 1].efficiency);
    }
  }
  return c.back().efficiency;
}

// Loss held below the first point: loss at P_1 = x_1 * rated.
double floor_loss_w(const PsuParams& p) {
  const EfficiencyPoint& first = p.curve.front();
  const double p1 = first.load_fraction * p.rated_w;
  return p1 / first.efficiency - p1;
}

}  // namespace

double psu_efficiency(const PsuParams& p, double load_out_w) {
  if (p.curve.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double x = load_out_w / p.rated_w;
  if (x >= p.curve.front().load_fraction) return interpolate(p.curve, x);
  if (load_out_w <= 0.0) return 0.0;
  return load_out_w / (load_out_w + floor_loss_w(p));
}

double psu_loss_w(const PsuParams& p, double load_out_w) {
  if (p.curve.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double x = load_out_w / p.rated_w;
  if (x < p.curve.front().load_fraction) return floor_loss_w(p);
  return load_out_w / interpolate(p.curve, x) - load_out_w;
}

std::vector<EfficiencyPoint> psu_curve_80plus_titanium_230v() {
  return {{0.10, 0.90}, {0.20, 0.94}, {0.50, 0.96}, {1.00, 0.91}};
}

std::string psu_curve_problem(const std::vector<EfficiencyPoint>& curve) {
  std::ostringstream msg;
  if (curve.empty()) return "curve has no points";
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const EfficiencyPoint& pt = curve[i];
    if (!std::isfinite(pt.load_fraction) || pt.load_fraction <= 0.0) {
      msg << "load_fraction " << pt.load_fraction << " must be > 0";
      return msg.str();
    }
    if (!(pt.efficiency > 0.0 && pt.efficiency <= 1.0)) {
      msg << "efficiency " << pt.efficiency << " outside (0,1]";
      return msg.str();
    }
    if (i > 0 && !(pt.load_fraction > curve[i - 1].load_fraction)) {
      msg << "load_fraction must increase: " << curve[i - 1].load_fraction << " then " << pt.load_fraction;
      return msg.str();
    }
  }
  return {};
}

}  // namespace dctwin::power
