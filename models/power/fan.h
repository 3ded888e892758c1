#pragma once
/**
 * @file fan.h
 * @brief Server fan power from the heat it must remove, by the fan affinity laws.
 *
 * ## Equation
 *
 *     s     = max(Q / Q_design, s_min)       (speed as a fraction of full speed; NOT capped at 1)
 *     P_fan = P_max * s^3                     (W)
 *
 * The airflow needed to carry heat Q at a fixed air temperature rise is m = Q / (c_p * dT), so
 * airflow is proportional to heat. By the affinity laws airflow is proportional to speed and
 * shaft power to speed cubed. Fans never run below their minimum speed s_min.
 *
 * If Q exceeds Q_design, s > 1 is returned as computed and P_fan exceeds P_max: the model reports
 * that the fans would need more than full speed (the server would run hotter or throttle); it
 * never clips. Detecting and reporting s > 1 is the caller's job (e.g. compare with P_max).
 *
 * ## Parameters (FanParams)
 *
 * | name               | unit     | meaning                                                       |
 * | ------------------ | -------- | ------------------------------------------------------------- |
 * | max_w              | W        | total fan power at full speed, P_max                          |
 * | min_speed_fraction | per unit | minimum speed s_min, in [0, 1]                                |
 * | design_heat_w      | W        | heat removed at full speed with the design temperature rise  |
 *
 * ## Validity
 *
 * Fixed system curve (no change of filters, blanking or rack pressure), fixed air density and
 * fixed inlet-to-outlet temperature rise. Preconditions (caller's job): max_w >= 0,
 * design_heat_w > 0, 0 <= min_speed_fraction <= 1. Negative heat is treated as zero (minimum
 * speed). max_w = 0 means "no fans" (e.g. a fully liquid-cooled node) and gives 0 W whatever the
 * other fields hold, so a zero-initialised FanParams is valid.
 *
 * ## How to use
 *
 *     FanParams fans{300.0, 0.2, 10000.0};      // 300 W at full speed for 10 kW of heat
 *     double w = fan_power_w(fans, 5000.0);     // s = 0.5 -> 37.5 W
 *
 * ## Accuracy
 *
 * The cube law holds for a fan on a fixed, purely quadratic system curve at constant efficiency.
 * Real server fans deviate: motor and drive efficiency drop at low speed, so measured power at
 * low speed tends to sit above the cube law; firmware fan tables follow component temperatures
 * rather than total heat, and keep a margin; the inlet temperature changes the airflow needed.
 * Use this model for facility-scale energy, not for the power of a particular fan at a
 * particular instant.
 * No defaults are given: take the parameters from the server's specification (fan power at full
 * speed) or from a measurement.
 *
 * ## Source
 *
 * Fan affinity laws, ASHRAE Handbook — HVAC Systems and Equipment (Fans chapter).
 */

namespace dctwin::power {

struct FanParams {
  double max_w;               ///< W, fan power at full speed
  double min_speed_fraction;  ///< per unit, minimum speed
  double design_heat_w;       ///< W, heat removed at full speed
  double time_constant_s = 0; ///< s, fan control lag of the heat the fans see (fan_control.h; 0: none)
};

/// Fan power (W) to remove `heat_w` (W); exceeds max_w when heat_w > design_heat_w (never clipped).
double fan_power_w(const FanParams& p, double heat_w);

/// Fan speed (per unit of full speed) for `heat_w`; > 1 means beyond full speed.
double fan_speed_fraction(const FanParams& p, double heat_w);

}  // namespace dctwin::power
