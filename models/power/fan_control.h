#pragma once
/**
 * @file fan_control.h
 * @brief Fan control as a first-order lag of the heat the fans see (server fans, CRAH fans).
 *
 * ## Equation (t in s)
 *
 *     dQ_f/dt = (Q - Q_f) / tau                       (Q_f: heat the fan control sees, W)
 *     Q_f(t0 + dt) = Q + (Q_f(t0) - Q) e^(-dt/tau)     (Q held constant over [t0, t0 + dt))
 *     mean of Q_f over [t0, t0 + dt) = Q + (Q_f(t0) - Q) (tau/dt) (1 - e^(-dt/tau))
 *
 * The fans then run at the speed of Q_f (fan.h: s = max(Q_f / Q_design, s_min), P = P_max s^3;
 * air_handler.h for CRAHs). tau = 0 gives Q_f = Q (the fans follow every change at once).
 *
 * Real fans are driven by temperature: a server's baseboard controller runs a PID loop on
 * component temperatures, which follow the heat through the heat sinks' thermal mass and the
 * sensors' lag; a CRAH's drive follows supply-air temperature or containment pressure. A training
 * step alternates compute and communication every 0.5-2 s, far faster than that loop, so the fans
 * sit near the speed of the step's mean heat with a small ripple (for a square wave of period T
 * and high share d, the ripple of Q_f is about d (1 - d) T / tau of the heat's swing), while slow
 * changes (a job starting or stopping, a failure, throttling) move them with the lag.
 *
 * ## Parameters
 *
 * | name  | unit | meaning                                                           |
 * | ----- | ---- | ----------------------------------------------------------------- |
 * | tau   | s    | time constant of the fan control (>= 0; 0: instantaneous)         |
 *
 * Defaults (the callers'): server fans 10 s, from the 10 s time lag of the temperature
 * measurement in a shipping enterprise server (Kim, Sabry, Atienza, Vaidyanathan, Gross, "Global
 * fan speed control considering non-ideal temperature measurements in enterprise servers", DATE
 * 2014); ASSUMPTION: that lag taken as the first-order time constant of the whole loop (heat sink,
 * sensor, controller), which is a lower bound (the heat sinks add theirs). CRAH fans 60 s:
 * ASSUMPTION (a room-level air loop, slower than the servers'; no public figure found).
 *
 * ## Validity
 *
 * A lumped, linear reduction of a PID loop on temperature: no overshoot, no dead band, no
 * minimum-speed floor inside the lag (the floor applies to Q_f in the fan law). Preconditions
 * (caller's job): tau >= 0, dt >= 0.
 *
 * ## Source
 *
 * First-order response: any control text (e.g. Ogata, Modern Control Engineering, ch. 5); the
 * default time constant as above.
 */

namespace dctwin::power {

/// Server fans' default fan-control time constant (s); see the header.
inline constexpr double kServerFanTimeConstantS = 10.0;
/// CRAH fans' default fan-control time constant (s), ASSUMPTION; see the header.
inline constexpr double kCrahFanTimeConstantS = 60.0;

/// Q_f after `dt_s` with the heat held at `heat_w` (W), from `lagged_w`; tau 0: heat_w.
double fan_lag_after(double lagged_w, double heat_w, double dt_s, double tau_s);

/// Mean of Q_f over [0, dt_s) with the heat held at `heat_w` (W), from `lagged_w`; dt 0: lagged_w.
double fan_lag_mean(double lagged_w, double heat_w, double dt_s, double tau_s);

}  // namespace dctwin::power
