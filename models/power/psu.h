#pragma once
/**
 * @file psu.h
 * @brief Server power supply or rack power shelf: efficiency interpolated over load points.
 *
 * ## Equation
 *
 *     x     = P_out / P_rated                                  (per unit load)
 *     eta(x) = piecewise-linear interpolation of the curve points (x_i, eta_i)   for x_1 <= x
 *     eta(x) = eta_n                                           for x > x_n   (overload, not clipped)
 *     loss  = P_out / eta - P_out                              (W)
 *
 * Below the first point (x < x_1) the LOSS, not the efficiency, is held at its value at the first
 * point, loss_1 = P_1 / eta_1 - P_1 with P_1 = x_1 * P_rated. This acts as a no-load floor: a PSU
 * still dissipates its fixed losses (controller, fan, magnetising and switching losses) when lightly
 * loaded, so its efficiency falls towards 0 as the load does:
 *
 *     eta(x) = P_out / (P_out + loss_1)                        for x < x_1 (0 at zero load)
 *
 * ## Parameters (PsuParams)
 *
 * | name    | unit     | meaning                                                                |
 * | ------- | -------- | ---------------------------------------------------------------------- |
 * | rated_w | W        | rated DC output power of the supply (or of the shelf)                  |
 * | curve   | per unit | points {load_fraction, efficiency}: load_fraction > 0, strictly         |
 * |         |          | increasing; efficiency in (0, 1]; see psu_curve_problem()              |
 *
 * ## Validity
 *
 * Steady state, at the input voltage the curve was measured for. Preconditions (caller's job):
 * rated_w > 0, load_out_w >= 0, and psu_curve_problem(curve) is empty. An empty curve yields NaN
 * rather than a silent value. Load above rated is computed with the last efficiency and never
 * clipped; reporting overload is the caller's job. For N+M redundant supplies sharing a load,
 * call with each supply's share of the load (the light per-supply load is what costs efficiency).
 *
 * ## How to use
 *
 *     PsuParams psu{3300.0, psu_curve_80plus_titanium_230v()};   // one 3.3 kW supply
 *     double eta  = psu_efficiency(psu, 1650.0);                 // 0.96 at 50 % load
 *     double loss = psu_loss_w(psu, 1650.0);                     // 68.75 W
 *
 * ## Accuracy
 *
 * The 80 PLUS points are minimum efficiencies a certified supply must meet, i.e. ceilings on loss,
 * not measurements of any product: a certified unit may well do better, and a real curve is
 * smooth rather than piecewise linear between the points. The floor rule below the first point is a
 * modelling choice (a constant no-load loss) that is conservative compared with extrapolating the
 * curve's efficiency, and is unvalidated below 10 % load where certification gives no point.
 * Interpolating efficiency linearly can make the loss dip where efficiency rises steeply: with the
 * Titanium curve on a 1 kW supply the loss is 13.04 W at 15 % load but 12.77 W at 20 %
 * (150/0.92 - 150 vs 200/0.94 - 200), an artefact of the interpolation, not physics.
 * Efficiency also shifts with input voltage (230 V vs 277 V vs 380 V DC) and temperature; use a
 * curve measured at the facility's voltage (e.g. OCP ORv3 shelf figures) when one is available.
 *
 * ## Source
 *
 * 80 PLUS program (CLEAResult), Titanium level, 230 V internal redundant: 90 / 94 / 96 / 91 %
 * at 10 / 20 / 50 / 100 % load (docs/references.md). For comparison, ExaDigiT RAPS `raps/power.py`
 * uses the affine form P_in = (P_out + c) / eta (a constant plus a proportional loss); such a
 * model can be expressed here by sampling it at a few load points.
 *
 */

#include <string>
#include <vector>

namespace dctwin::power {

struct EfficiencyPoint {
  double load_fraction;  ///< per unit of rated output
  double efficiency;     ///< in (0, 1]
};

struct PsuParams {
  double rated_w;                      ///< W, rated DC output
  std::vector<EfficiencyPoint> curve;  ///< sorted by load_fraction
};

/// Efficiency at DC output `load_out_w` (W); 0 at zero load (floor rule), NaN for an empty curve.
double psu_efficiency(const PsuParams& p, double load_out_w);

/// P_in - P_out (W) at DC output `load_out_w` (W), with the floor rule below the first point.
double psu_loss_w(const PsuParams& p, double load_out_w);

/// 80 PLUS Titanium, 230 V internal redundant: 10/20/50/100 % -> 0.90/0.94/0.96/0.91.
std::vector<EfficiencyPoint> psu_curve_80plus_titanium_230v();

/// Empty string when the curve is valid, else one message describing the first problem.
std::string psu_curve_problem(const std::vector<EfficiencyPoint>& curve);

}  // namespace dctwin::power
