#pragma once
/**
 * @file ups.h
 * @brief Uninterruptible power supply losses: no-load + proportional + square-law terms.
 *
 * ## Equation
 *
 * Double conversion (rectifier -> DC bus -> inverter, always in the path):
 *
 *     x    = P_out / P_rated
 *     loss = P_rated * (a0 + a1 * x + a2 * x^2)          (W)
 *
 * Eco mode (load fed on the bypass, inverter on standby):
 *
 *     loss = eco_loss_frac * P_out + a0 * P_rated * eco_standby_share   (W)
 *
 * In both modes  eta = P_out / (P_out + loss), and eta = 0 at zero load.
 *
 * The three double-conversion terms are the classic UPS loss decomposition: a no-load loss paid
 * whenever the unit is on (control electronics, magnetising current of transformers and
 * inductors, capacitor leakage, fans), a loss proportional to load (switching and diode
 * conduction), and a square-law loss (I^2 R in conductors and windings).
 *
 * ## Parameters (UpsParams)
 *
 * | name                   | unit     | meaning                                                 |
 * | ---------------------- | -------- | ------------------------------------------------------- |
 * | rated_w                | W        | rated real output power P_rated                         |
 * | no_load_loss_frac      | per unit | a0, loss at zero load as a fraction of P_rated          |
 * | proportional_loss_frac | per unit | a1, coefficient of x                                    |
 * | square_loss_frac       | per unit | a2, coefficient of x^2                                  |
 * | mode                   | -        | DoubleConversion or Eco                                 |
 * | eco_loss_frac          | per unit | eco mode: loss per watt delivered (bypass path)         |
 * | eco_standby_share      | per unit | eco mode: share of the no-load loss a0*P_rated still paid |
 *
 * ## Named curves
 *
 * Two named coefficient sets ship; `ups_default_double_conversion` is the first.
 *
 * `ups_high_efficiency_vfi` ("high-efficiency-vfi", the default): a0 = 0.004, a1 = 0.017,
 * a2 = 0.012, giving 96.5 % at 25 % load, 96.7 % at 30 %, 96.9 % at 40 %, 97.0 % at 50 % and
 * 75 %, 96.8 % at 100 % (peak 97.0 % at x = sqrt(a0/a2) = 0.58). This represents a current
 * transformerless double-conversion (VFI) unit of the kind large AI halls buy: Schneider Electric
 * publishes "up to 97 %" in double conversion for its Galaxy VS/VX ranges, and current units of
 * Vertiv (Liebert EXL S1) and Eaton (9395XC) are sold with similar double-conversion figures.
 * ASSUMPTION: the split of that ~97 % into a0/a1/a2 (and so the exact 25-100 % points) is chosen
 * to match that headline with a flat 25-100 % curve; it is not a fit to one product's published
 * table. Fit a0..a2 to your unit's datasheet where you have it (`*_loss_pct` keys).
 *
 * `ups_legacy_wp108` ("legacy-wp108"): a0 = 0.009, a1 = 0.033, a2 = 0.003. Illustrative values
 * chosen to reproduce the public figures in Schneider Electric white paper 108 and the LBNL UPS
 * study for the previous generation of (transformer-based) double-conversion units: ~94 % at 30 %
 * load (93.99 %), ~95 % at 50 % (95.01 %), ~95.5 % at 100 % (95.69 %), and a no-load share of
 * losses above 40 % at a typical 30 % load (47 %). 2N systems run at 20-40 % load, which is where
 * the no-load term dominates. This was the default before; it is kept for legacy sites.
 *
 * No eco-mode default is given; the public range for eco mode is ~98-99 % efficiency (Schneider
 * states eConversion cuts the UPS's own consumption by a factor of three against double conversion,
 * Galaxy VX operation manual 990-5452).
 *
 * ## Validity
 *
 * Steady-state losses in normal (mains-present) operation, 0 <= P_out <= ~1.25 P_rated.
 * Preconditions (caller's job): rated_w > 0, coefficients >= 0, load_out_w >= 0. Overload is
 * computed with the same law and never clipped. Battery charging power after a discharge,
 * transfer transients and battery-mode (inverter-from-battery) losses are not modelled here.
 *
 * ## How to use
 *
 *     UpsParams u = ups_default_double_conversion(1.0e6);   // 1 MW module, high-efficiency-vfi
 *     double loss = ups_loss_w(u, 3.0e5);                   // 10180 W at 30 % load
 *     std::optional<UpsParams> old = ups_named_curve("legacy-wp108", 1.0e6);  // 19170 W at 30 %
 *     u.mode = UpsMode::Eco; u.eco_loss_frac = 0.01; u.eco_standby_share = 0.5;
 *
 * ## Accuracy
 *
 * The three-term form is the one WP108 and the LBNL study use to describe UPS losses, and it
 * captures the shape that matters for planning: efficiency falls steeply at light load because
 * the no-load term does not shrink. How closely it fits a given product depends entirely on that
 * product's coefficients (fit them to its published curve); the named curves represent no
 * particular product. Below ~10 % load published curves have no points, so values there are an
 * extrapolation of the fit. Efficiency also depends on input voltage, battery state and ambient
 * temperature, none of which are inputs here.
 *
 * ## Source
 *
 * Schneider Electric (APC) white paper 108, "Making Large UPS Systems More Efficient"; LBNL,
 * "Uninterruptible Power Supplies" (high-performance data centers UPS efficiency study) for the
 * legacy curve and the three-term form. Schneider Electric Galaxy VS / Galaxy VX product literature
 * ("up to 97 %" in double conversion; eConversion) for the high-efficiency default.
 */

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dctwin::power {

enum class UpsMode { DoubleConversion, Eco };

struct UpsParams {
  double rated_w;                 ///< W, rated real output power
  double no_load_loss_frac;       ///< a0: loss at zero load as a fraction of rated power
  double proportional_loss_frac;  ///< a1: coefficient of x = P_out/rated
  double square_loss_frac;        ///< a2: coefficient of x^2
  UpsMode mode = UpsMode::DoubleConversion;
  double eco_loss_frac = 0.0;      ///< eco: loss per watt delivered
  double eco_standby_share = 0.0;  ///< eco: share of a0*rated still paid on standby
};

/// Loss (W) at real output `load_out_w` (W), according to `p.mode`.
double ups_loss_w(const UpsParams& p, double load_out_w);

/// P_out / (P_out + loss); 0 at zero load.
double ups_efficiency(const UpsParams& p, double load_out_w);

/// Current transformerless double-conversion unit (a0 = 0.004, a1 = 0.017, a2 = 0.012).
UpsParams ups_high_efficiency_vfi(double rated_w);

/// Previous-generation double-conversion unit after WP108/LBNL (a0 = 0.009, a1 = 0.033, a2 = 0.003).
UpsParams ups_legacy_wp108(double rated_w);

/// The default double-conversion curve: `ups_high_efficiency_vfi`.
UpsParams ups_default_double_conversion(double rated_w);

/// Names accepted by `ups_named_curve`, the default first.
const std::vector<std::string>& ups_curve_names();

/// The named curve at `rated_w`, or nullopt for an unknown name.
std::optional<UpsParams> ups_named_curve(std::string_view name, double rated_w);

}  // namespace dctwin::power
