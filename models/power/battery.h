#pragma once
/**
 * @file battery.h
 * @brief Energy storage with a grid-side ramp-rate controller: the facility battery (BESS) at
 * the meter and the per-rack storage (PSU / BBU style, sim/facility/rack_storage.h) share it.
 *
 * ## Equations (one controller step of length Δt, powers in W, energy in J)
 *
 *     battery power   b = g − L                 (b > 0 charging, b < 0 discharging; L load, g grid)
 *     controller      g* = L + (E_target − E) / τ_rec            (drift back to the target charge)
 *                     g  = clamp(g*, g_prev − R·Δt, g_prev + R·Δt)   (grid ramp limit R, W/s)
 *     limits          |b| <= P_max;  E_min <= E <= E_max  (when a limit binds, g follows the
 *                     load instead and the step counts as a ramp-limit violation if g leaves
 *                     the ramp band); optionally g >= g_min (no export: g_min = 0)
 *     charge          E += b · √η · Δt                             (η round-trip efficiency)
 *     discharge       E += b / √η · Δt
 *     losses          b·(1 − √η)·Δt charging, |b|·(1/√η − 1)·Δt discharging
 *     balance         Σ g·Δt = Σ L·Δt + ΔE + Σ losses               (exact, by construction)
 *
 * ## Parameters
 *
 * | name                      | unit | meaning                                       |
 * | ------------------------- | ---- | --------------------------------------------- |
 * | power_w                   | W    | P_max, charge and discharge                   |
 * | energy_j                  | J    | usable capacity (E_max at 100 %)              |
 * | round_trip_efficiency     | -    | η, AC to AC                                   |
 * | soc_min, soc_max          | -    | charge window as fractions of capacity        |
 * | soc_target                | -    | charge the controller returns to              |
 * | recovery_s                | s    | τ_rec, time constant of the return            |
 * | ramp_limit_w_s            | W/s  | R, the grid-side ramp limit (meter or rack)   |
 *
 * ## Use
 *
 * RampLimitingBattery::step() is one controller step at a constant load. A caller whose load
 * changes within a controller step (sim/facility/rack_storage.h) splits it: ramp_limited_grid_w() once per
 * step gives the grid setpoint g, then for every piece of constant load inside the step
 * storage_power_w() gives b = g − L within the limits (the energy window over the time left to
 * the step's end, so E stays inside it whatever the piece's length) and store_energy() moves the
 * charge. step() is exactly these three calls with one piece.
 *
 * ## Validity and accuracy
 *
 * A power-and-energy (bucket) model with a constant efficiency split evenly between charge and
 * discharge; ignores C-rate dependent efficiency, temperature and degradation, inverter standby
 * losses and the battery's own response time (grid-scale inverters respond in tens of ms, below
 * the controller step). Energy storage as a mitigation for synchronous-training swings:
 * Choukse et al., arXiv 2508.14318 (2025); docs/references.md (mitigations).
 */

#include <limits>

namespace dctwin::power {

struct BatteryParams {
  double power_w = 0;
  double energy_j = 0;
  double round_trip_efficiency = 0.9;
  double soc_min = 0.1, soc_max = 0.9, soc_target = 0.5;
  double recovery_s = 600;
  double ramp_limit_w_s = 0;
};

struct BatteryStep {
  double grid_w = 0;
  double battery_w = 0;  // + charging, − discharging
  double loss_w = 0;
  bool ramp_violation = false;
};

// Grid setpoint for the next controller step: clamp(L + (E_target − E)/τ_rec, g_prev ± R·Δt).
double ramp_limited_grid_w(const BatteryParams& p, double e_j, double g_prev_w, double load_w, double dt_s);

// Battery power b (W, + charging) that holds the grid at grid_w for load load_w, within the power
// limit, the grid floor min_grid_w (−∞: none) and the charge window over horizon_s seconds.
double storage_power_w(const BatteryParams& p, double e_j, double grid_w, double load_w, double horizon_s,
                       double min_grid_w = -std::numeric_limits<double>::infinity());

// Moves the charge e_j by battery power b over dt_s (√η each way); returns the loss (W).
double store_energy(const BatteryParams& p, double& e_j, double battery_w, double dt_s);

// Relative error of the balance grid = load + (E_end − E_0) + losses, all in J (0 when exact).
double storage_balance_rel_error(double grid_j, double load_j, double initial_j, double final_j, double loss_j);

class RampLimitingBattery {
 public:
  RampLimitingBattery(BatteryParams p, double initial_soc, double initial_grid_w);
  // One step of length dt_s at load load_w; updates the charge.
  BatteryStep step(double load_w, double dt_s);
  double energy_j() const { return e_; }

 private:
  BatteryParams p_;
  double e_;
  double g_prev_;
};

}  // namespace dctwin::power
