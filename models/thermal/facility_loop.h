#pragma once
/**
 * @file facility_loop.h
 * @brief Facility water loop: mixing of CDU returns, plant load at a supply setpoint, loop transport
 *        lag, and a linear solver (Eigen) for the temperatures of a small coupled loop network.
 *
 * ## Equations
 *
 * Mixing of streams of one fluid (constant cp):
 *
 *     m_mix = sum m_i,   T_mix = sum (m_i T_i) / m_mix
 *
 * Plant load to bring the return back to the supply setpoint:
 *
 *     Q_plant = m cp (T_return - T_supply,set)
 *
 * Transport (optional): a well-mixed volume V of density rho (tau = rho V / m), exact update
 *
 *     T_out(t + dt) = T_in + (T_out(t) - T_in) exp(-dt / tau)
 *
 * and the plug-flow delay of a pipe, t_delay = rho V / m (returned for callers that keep a
 * history; no delay line is kept here).
 *
 * ## Loop network (LoopNetwork)
 *
 * Nodes are perfectly mixed points with unknown temperature T_i, or fixed nodes whose
 * temperature is known (a supply held at setpoint by the plant, a boundary). Streams carry
 * fluid from one node to another: a pipe delivers the temperature of its source node; one side
 * of a heat exchanger delivers its ε-NTU outlet temperature, linear in the two inlet nodes'
 * temperatures for fixed flows and UA:
 *
 *     hot side arrives at   (1 - a_h) T_hot,in + a_h T_cold,in,   a_h = eps C_min / C_hot
 *     cold side arrives at  (1 - a_c) T_cold,in + a_c T_hot,in,   a_c = eps C_min / C_cold
 *
 * Steady energy balance of every non-fixed node i (heat Q_i added at the node, e.g. rack heat):
 *
 *     sum_{s into i} C_s T_arrival,s + Q_i = T_i sum_{s into i} C_s        (C_s = m_s cp_s)
 *
 * These are linear in the unknown T: A T = b, assembled sparse and solved with Eigen's SparseLU.
 * Mass must be conserved at every non-fixed node (sum in = sum out, checked to 1e-9 relative);
 * the fixed nodes are where heat leaves (or enters) the network:
 *
 *     Q_boundary,f = sum_{s into f} C_s T_arrival,s - T_f sum_{s out of f} C_s
 *
 * and, since every node balances and each exchanger gives to one side what it takes from the
 * other, sum_i Q_i = sum_f Q_boundary,f. solve() returns each node's residual and both totals so
 * the balance can be checked.
 *
 * ## Parameters
 *
 * | element   | values                                                                          |
 * | --------- | ------------------------------------------------------------------------------- |
 * | node      | name; fixed: temperature °C                                                      |
 * | pipe      | from, to, mass flow kg/s, cp J/(kg K)                                             |
 * | heat      | node, W (+ into the fluid)                                                        |
 * | exchanger | HxFlow, UA W/K, hot in/out nodes, hot flow kg/s, cp; cold in/out nodes, flow, cp  |
 *
 * ## Validity
 *
 * Steady state at the given flows (flows are inputs: the hydraulic solution is not computed
 * here); constant cp per stream; no heat loss from pipes. A network where a closed loop has no
 * exchanger or fixed node to set its temperature level is singular and is reported as such.
 *
 * ## How to use
 *
 *     LoopNetwork n;
 *     auto sup = n.add_fixed_node("plant supply", 25.0);
 *     auto ret = n.add_node("return header");
 *     n.add_flow(sup, ret, 30.0, 4180.0);  n.add_heat(ret, 1.0e6);  n.add_flow(ret, sup, 30.0, 4180.0);
 *     LoopSolution s = n.solve();          // s.temp_c[ret] = 25 + 1e6 / (30 * 4180)
 *
 * ## Accuracy
 *
 * The solve is exact to round-off (residuals ~1e-9 of the heat flows); the model's accuracy is
 * that of its inputs (flows, UA, heat). Steady state at each step ignores the thermal mass of
 * pipes and headers, which for a large plant delays changes by minutes: use the mixed-volume
 * lag or the delay on top where that matters.
 *
 * ## Source
 *
 * Steady-flow energy balance (Incropera et al., "Fundamentals of Heat and Mass Transfer", ch. 1,
 * ch. 11 for the exchangers); Eigen SparseLU (eigen.tuxfamily.org).
 */
#include <cstddef>
#include <string>
#include <vector>

#include "models/thermal/heat_exchanger.h"

namespace dctwin::thermal {

struct Stream {
  double flow_kg_s;
  double temp_c;
};

struct MixedStream {
  double flow_kg_s;
  double temp_c;
};

/// Mass-flow-weighted mixing. Throws std::invalid_argument when the total flow is not > 0.
MixedStream mix_streams(const std::vector<Stream>& streams);

/// Heat (W) the plant must remove to bring `return_c` down to `supply_setpoint_c`.
double plant_load_w(double flow_kg_s, double cp_j_kg_k, double return_c, double supply_setpoint_c);

/// Outlet of a well-mixed volume after `dt_s` with inlet `t_in_c` held (exact exponential).
double mixed_volume_step_c(double t_out_now_c, double t_in_c, double flow_kg_s, double volume_m3,
                           double density_kg_m3, double dt_s);

/// Plug-flow transport delay (s) of a pipe volume at a flow.
double transport_delay_s(double volume_m3, double density_kg_m3, double flow_kg_s);

struct LoopSolution {
  std::vector<double> temp_c;          ///< by node id (fixed nodes hold their value)
  std::vector<double> residual_w;      ///< energy-balance residual by node id (0 for fixed nodes)
  std::vector<double> hx_heat_w;       ///< heat moved hot -> cold by each exchanger, in order added
  std::vector<double> boundary_heat_w; ///< by node id: heat leaving at fixed nodes (0 elsewhere)
  double heat_in_w = 0;                ///< sum of heat added at nodes
  double heat_out_w = 0;               ///< sum of boundary heat
  double max_abs_residual_w = 0;
};

class LoopNetwork {
 public:
  using NodeId = std::size_t;

  NodeId add_node(std::string name);
  NodeId add_fixed_node(std::string name, double temp_c);
  void add_flow(NodeId from, NodeId to, double flow_kg_s, double cp_j_kg_k);
  /// Heat into the fluid at a non-fixed node (negative removes heat).
  void add_heat(NodeId node, double heat_w);
  void add_hx(HxFlow flow, double ua_w_k, NodeId hot_in, NodeId hot_out, double hot_flow_kg_s, double cp_hot_j_kg_k,
              NodeId cold_in, NodeId cold_out, double cold_flow_kg_s, double cp_cold_j_kg_k);

  std::size_t node_count() const { return nodes_.size(); }
  const std::string& name(NodeId id) const { return nodes_.at(id).name; }

  /// Solves A T = b. Throws std::invalid_argument for a bad network (unknown node, flow not
  /// conserved, node without inflow, heat on a fixed node) and std::runtime_error when the
  /// system is singular.
  LoopSolution solve() const;

 private:
  struct Node {
    std::string name;
    bool fixed;
    double temp_c;
    double heat_w;
  };
  // A stream arriving at `to`: temperature = sum coef_k * T(node_k).
  struct Term {
    NodeId node;
    double coef;
  };
  struct StreamEl {
    NodeId from;  // node the fluid is drawn from (for mass balance)
    NodeId to;
    double c_w_k;
    double flow_kg_s;
    std::vector<Term> arrival;
  };
  struct Hx {
    std::size_t hot_stream, cold_stream;
    double q_coef;  // Q = q_coef * (T_hot_in - T_cold_in) = eps * C_min
    NodeId hot_in, cold_in;
  };
  void check(NodeId id) const;
  std::vector<Node> nodes_;
  std::vector<StreamEl> streams_;
  std::vector<Hx> hxs_;
};

}  // namespace dctwin::thermal
