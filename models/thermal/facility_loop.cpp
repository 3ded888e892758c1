#include "models/thermal/facility_loop.h"

#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <stdexcept>

namespace dctwin::thermal {

MixedStream mix_streams(const std::vector<Stream>& streams) {
  double m = 0.0, mt = 0.0;
  for (const auto& s : streams) {
    m += s.flow_kg_s;
    mt += s.flow_kg_s * s.temp_c;
  }
  if (!(m > 0.0)) throw std::invalid_argument("mix_streams: total mass flow must be > 0 kg/s");
  return {m, mt / m};
}

double plant_load_w(double flow_kg_s, double cp_j_kg_k, double return_c, double supply_setpoint_c) {
  return flow_kg_s * cp_j_kg_k * (return_c - supply_setpoint_c);
}

double mixed_volume_step_c(double t_out_now_c, double t_in_c, double flow_kg_s, double volume_m3,
                           double density_kg_m3, double dt_s) {
  if (flow_kg_s <= 0.0) return t_out_now_c;  // no flow: the volume keeps its temperature
  const double tau = density_kg_m3 * volume_m3 / flow_kg_s;
  return t_in_c + (t_out_now_c - t_in_c) * std::exp(-dt_s / tau);
}

double transport_delay_s(double volume_m3, double density_kg_m3, double flow_kg_s) {
  return density_kg_m3 * volume_m3 / flow_kg_s;
}

// ---- LoopNetwork -----------------------------------------------------------------------------

void LoopNetwork::check(NodeId id) const {
  if (id >= nodes_.size()) throw std::invalid_argument("LoopNetwork: unknown node id " + std::to_string(id));
}

LoopNetwork::NodeId LoopNetwork::add_node(std::string name) {
  nodes_.push_back({std::move(name), false, 0.0, 0.0});
  return nodes_.size() - 1;
}

LoopNetwork::NodeId LoopNetwork::add_fixed_node(std::string name, double temp_c) {
  nodes_.push_back({std::move(name), true, temp_c, 0.0});
  return nodes_.size() - 1;
}

void LoopNetwork::add_flow(NodeId from, NodeId to, double flow_kg_s, double cp_j_kg_k) {
  check(from);
  check(to);
  if (!(flow_kg_s >= 0.0)) throw std::invalid_argument("LoopNetwork: flow into '" + nodes_[to].name + "' must be >= 0");
  streams_.push_back({from, to, flow_kg_s * cp_j_kg_k, flow_kg_s, {{from, 1.0}}});
}

void LoopNetwork::add_heat(NodeId node, double heat_w) {
  check(node);
  if (nodes_[node].fixed)
    throw std::invalid_argument("LoopNetwork: heat added at fixed node '" + nodes_[node].name +
                                "' (its temperature is imposed; add the heat upstream)");
  nodes_[node].heat_w += heat_w;
}

void LoopNetwork::add_hx(HxFlow flow, double ua_w_k, NodeId hot_in, NodeId hot_out, double hot_flow_kg_s,
                         double cp_hot_j_kg_k, NodeId cold_in, NodeId cold_out, double cold_flow_kg_s,
                         double cp_cold_j_kg_k) {
  for (NodeId id : {hot_in, hot_out, cold_in, cold_out}) check(id);
  const double ch = hot_flow_kg_s * cp_hot_j_kg_k;
  const double cc = cold_flow_kg_s * cp_cold_j_kg_k;
  const double cmin = std::min(ch, cc), cmax = std::max(ch, cc);
  const double eps = cmin > 0.0 ? hx_effectiveness(flow, ua_w_k / cmin, cmin / cmax) : 0.0;
  const double q_coef = eps * cmin;  // Q = q_coef (T_hot_in - T_cold_in)
  const double ah = ch > 0.0 ? q_coef / ch : 0.0;
  const double ac = cc > 0.0 ? q_coef / cc : 0.0;
  streams_.push_back({hot_in, hot_out, ch, hot_flow_kg_s, {{hot_in, 1.0 - ah}, {cold_in, ah}}});
  const std::size_t hs = streams_.size() - 1;
  streams_.push_back({cold_in, cold_out, cc, cold_flow_kg_s, {{cold_in, 1.0 - ac}, {hot_in, ac}}});
  hxs_.push_back({hs, streams_.size() - 1, q_coef, hot_in, cold_in});
}

LoopSolution LoopNetwork::solve() const {
  const std::size_t n = nodes_.size();
  // mass balance and inflow capacity per node
  std::vector<double> m_in(n, 0.0), m_out(n, 0.0), c_in(n, 0.0);
  for (const auto& s : streams_) {
    m_in[s.to] += s.flow_kg_s;
    m_out[s.from] += s.flow_kg_s;
    c_in[s.to] += s.c_w_k;
  }
  std::vector<std::ptrdiff_t> unknown(n, -1);
  std::ptrdiff_t nu = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (nodes_[i].fixed) continue;
    const double scale = std::max({m_in[i], m_out[i], 1e-300});
    if (std::abs(m_in[i] - m_out[i]) > 1e-9 * scale)
      throw std::invalid_argument("LoopNetwork: mass not conserved at node '" + nodes_[i].name + "': in " +
                                  std::to_string(m_in[i]) + " kg/s, out " + std::to_string(m_out[i]) + " kg/s");
    if (!(c_in[i] > 0.0))
      throw std::invalid_argument("LoopNetwork: node '" + nodes_[i].name + "' has no inflow; its temperature is undefined");
    unknown[i] = nu++;
  }

  std::vector<Eigen::Triplet<double>> trip;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(nu);
  for (std::size_t i = 0; i < n; ++i)
    if (unknown[i] >= 0) {
      trip.emplace_back(unknown[i], unknown[i], c_in[i]);
      b[unknown[i]] += nodes_[i].heat_w;
    }
  for (const auto& s : streams_) {
    const std::ptrdiff_t r = unknown[s.to];
    if (r < 0) continue;  // arriving at a fixed node: no equation
    for (const auto& t : s.arrival) {
      if (unknown[t.node] >= 0) trip.emplace_back(r, unknown[t.node], -s.c_w_k * t.coef);
      else b[r] += s.c_w_k * t.coef * nodes_[t.node].temp_c;
    }
  }

  LoopSolution sol;
  sol.temp_c.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    if (nodes_[i].fixed) sol.temp_c[i] = nodes_[i].temp_c;
  if (nu > 0) {
    Eigen::SparseMatrix<double> a(nu, nu);
    a.setFromTriplets(trip.begin(), trip.end());
    a.makeCompressed();
    Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
    lu.analyzePattern(a);
    lu.factorize(a);
    if (lu.info() != Eigen::Success)
      throw std::runtime_error("LoopNetwork: singular system (a closed loop has no exchanger or fixed node "
                               "setting its temperature): " + lu.lastErrorMessage());
    const Eigen::VectorXd x = lu.solve(b);
    if (lu.info() != Eigen::Success || !x.allFinite())
      throw std::runtime_error("LoopNetwork: the solve failed (singular or ill-conditioned system)");
    for (std::size_t i = 0; i < n; ++i)
      if (unknown[i] >= 0) sol.temp_c[i] = x[unknown[i]];
  }

  // residuals, boundary heat, exchanger heat
  auto arrival = [&](const StreamEl& s) {
    double t = 0.0;
    for (const auto& term : s.arrival) t += term.coef * sol.temp_c[term.node];
    return t;
  };
  sol.residual_w.assign(n, 0.0);
  sol.boundary_heat_w.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (nodes_[i].fixed) continue;
    sol.residual_w[i] = nodes_[i].heat_w - sol.temp_c[i] * c_in[i];
    sol.heat_in_w += nodes_[i].heat_w;
  }
  for (const auto& s : streams_) {
    const double h = s.c_w_k * arrival(s);
    if (nodes_[s.to].fixed) sol.boundary_heat_w[s.to] += h;
    else sol.residual_w[s.to] += h;
    if (nodes_[s.from].fixed) sol.boundary_heat_w[s.from] -= s.c_w_k * sol.temp_c[s.from];
  }
  for (std::size_t i = 0; i < n; ++i) {
    sol.heat_out_w += sol.boundary_heat_w[i];
    sol.max_abs_residual_w = std::max(sol.max_abs_residual_w, std::abs(sol.residual_w[i]));
  }
  for (const auto& h : hxs_) sol.hx_heat_w.push_back(h.q_coef * (sol.temp_c[h.hot_in] - sol.temp_c[h.cold_in]));
  return sol;
}

}  // namespace dctwin::thermal
