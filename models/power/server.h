#pragma once
/**
 * @file server.h
 * @brief DC power of one node (GPUs, CPUs, memory, NICs, storage, other, fans) at the PSU output.
 *
 * ## Equation
 *
 *     P_c      = active_w if the node runs a job, else idle_w
 *                (c in {cpu, memory, nic, storage, other})
 *     P_gpu    = gpus * P_gpu_each
 *     Q        = P_gpu + P_cpu + P_memory + P_nic + P_storage + P_other     (heat the fans move, W)
 *     P_fan    = fan_power_w(fans, Q)                                      (see fan.h)
 *     P_server = Q + P_fan                                                 (W, DC, PSU output)
 *
 * With fan control (fan_control.h) the fans run at the speed of a lagged heat Q_f, which the
 * caller keeps (server_heat_w gives the Q it lags), instead of the instantaneous Q:
 *
 *     P_fan    = fan_power_w(fans, Q_f)
 *
 * The GPU power per device comes from the caller (gpu_power_w() of the current phase, or a
 * calibrated trace), so one server model serves every phase and every GPU kind. Fan power is
 * itself dissipated as heat but is not fed back into the fan law (the fans do not cool their own
 * motors in the model; the error is of order P_fan / Q).
 *
 * ## Parameters (ServerParams)
 *
 * | name                              | unit | meaning                                           |
 * | --------------------------------- | ---- | ------------------------------------------------- |
 * | gpus                              | -    | GPUs in the node                                  |
 * | cpu, memory, nic, storage, other  | W    | {idle_w, active_w}: node not in a job / in a job  |
 * | fans                              | -    | FanParams (see fan.h), design_heat_w in W         |
 *
 * Component figures are node totals (e.g. both CPUs together), not per device.
 *
 * ## Validity
 *
 * Steady state per phase; preconditions (caller's job): gpus >= 0, powers >= 0. In a
 * liquid-cooled node only part of the heat goes to air; pass FanParams whose design_heat_w
 * describes the total heat at which the fans reach full speed for that node, or a node-level
 * split done by the caller. Fan power above fans.max_w (heat above design) is reported as
 * computed, never clipped.
 *
 * ## How to use
 *
 *     ServerParams s;                       // 8 GPUs; numbers below are illustrative only
 *     s.cpu = {180, 500}; s.memory = {60, 150}; s.fans = {600, 0.3, 10000};
 *     ServerPower p = server_power(s, gpu_power_w(h100, GpuPhase::Compute), true);
 *     double dc_w = p.total_w();            // then through the PSU model (psu.h) for AC input
 *
 * ## Accuracy
 *
 * A two-level (idle/active) model for non-GPU components: CPU, memory and NIC power really vary
 * with their own utilisation during a step, which this ignores; their share of node power in
 * GPU servers is small against the GPUs'. Adequate for facility-scale energy and peak demand when
 * the component figures come from the vendor's system power budget (a ceiling) or a measurement.
 *
 * ## Source
 *
 * Component decomposition as in ExaDigiT RAPS `config/frontier.yaml` (GPU, CPU, memory, NIC,
 * NVMe per node); system maximum for comparison: DGX H100 10.2 kW (DGX H100 user guide).
 */

#include "models/power/fan.h"

namespace dctwin::power {

struct ComponentPower {
  double idle_w = 0;    ///< W, node not in a job
  double active_w = 0;  ///< W, node running a job
};

struct ServerParams {
  int gpus = 8;
  ComponentPower cpu, memory, nic, storage, other;  ///< node totals
  FanParams fans{};  ///< zero-initialised: max_w = 0 means no fans (0 W)
};

struct ServerPower {
  double gpu_w = 0, cpu_w = 0, memory_w = 0, nic_w = 0, storage_w = 0, other_w = 0, fan_w = 0;
  double total_w() const;  ///< sum of all fields (W)
};

/// Node DC power with each GPU at `gpu_each_w` (W); components at active or idle power.
ServerPower server_power(const ServerParams& s, double gpu_each_w, bool active);

/// As above, the fans at the speed of `fan_heat_w` (W: the fan control's lagged heat Q_f).
ServerPower server_power(const ServerParams& s, double gpu_each_w, bool active, double fan_heat_w);

/// Heat Q the fans move (W) with each GPU at `gpu_each_w` and the components a share
/// `active_share` of the way from idle (0) to active (1): linear in both, so a lag of the two
/// inputs is the lag of Q.
double server_heat_w(const ServerParams& s, double gpu_each_w, double active_share);

}  // namespace dctwin::power
