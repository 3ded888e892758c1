#include "models/power/pcc.h"

#include <cmath>

namespace dctwin::power {

double pcc_resistance_ohm(const PccGrid& g) {
  const double z = g.nominal_v * g.nominal_v / g.short_circuit_va;
  return z / std::sqrt(1 + g.x_over_r * g.x_over_r);
}

double pcc_reactance_ohm(const PccGrid& g) { return pcc_resistance_ohm(g) * g.x_over_r; }

double pcc_relative_voltage_change(const PccGrid& g, double dp_w, double dq_var) {
  return (pcc_resistance_ohm(g) * dp_w + pcc_reactance_ohm(g) * dq_var) / (g.nominal_v * g.nominal_v);
}

std::vector<double> pcc_voltage_pu(const PccGrid& g, const std::vector<double>& p_w, const std::vector<double>& q_var) {
  std::vector<double> v;
  if (p_w.empty() || p_w.size() != q_var.size()) return v;
  v.reserve(p_w.size());
  for (std::size_t i = 0; i < p_w.size(); ++i) v.push_back(1 - pcc_relative_voltage_change(g, p_w[i] - p_w[0], q_var[i] - q_var[0]));
  return v;
}

}  // namespace dctwin::power
