#pragma once
/**
 * @file gpu_junction.h
 * @brief GPU junction temperature with temperature-dependent leakage, and the thermal power limit
 *        that clock throttling enforces.
 *
 * ## Equations
 *
 *     dL(T)   = L_ref * (2^((T - T_ref) / d) - 1)                 (W, leakage above its value at T_ref)
 *     P(T)    = P_profile + dL(T)                                  (W, GPU power; the profile is at T_ref)
 *     T_ss    : T = T_c + R * (P_profile + dL(T))                  (°C, steady junction temperature)
 *     T(t+dt) = T* + (T(t) - T*) * exp(-dt / tau),                 (°C, one thermal step)
 *               T* = T_c + R * (P_profile + dL(T(t)))
 *     P_lim   = (T_thr - T_c) / R - dL(T_thr)                      (W, highest profile power that holds
 *                                                                   T_ss <= T_thr: the throttle limit)
 *
 * T_c is the coolant the GPU's heat sink sees: the technology-cooling-loop supply for a GPU on a
 * cold plate, the rack inlet air for an air-cooled GPU; R is junction-to-that-coolant (the cold
 * plate's R of models/thermal/cold_plate.h, or an air heat sink's).
 *
 * Leakage: subthreshold leakage grows exponentially with temperature (Liao, Li and He, "Microarchitecture
 * level power and thermal simulation considering temperature dependent leakage model", ISLPED 2003;
 * De Vogeleer et al., "Modeling the temperature bias of power consumption for nanometer-scale CPUs
 * in application processors", arXiv:1404.3381, measured exponential between 20 and 85 °C). It is
 * written here with a doubling interval d (K per doubling) so that its parameters read directly.
 * The profile powers are taken as measured at T_ref, so dL is negative below T_ref.
 *
 * Step update: the lag is exact for a constant target (the cold plate's exponential); leakage is
 * evaluated at the temperature at the start of the step. The update's slope in T(t) is
 * a + (1 - a) R dL'(T) with a = exp(-dt/tau), below 1 at any dt whenever R dL'(T) < 1, which is
 * also the condition for the steady state to exist (else the GPU runs away thermally): stable at
 * any thermal step wherever the physics has an equilibrium.
 *
 * ## Thermal runaway (exact criterion)
 *
 * With coolant and profile power held, dT/dt = f(T) / tau, f(T) = T_c + R (P + dL(T)) - T. f is
 * convex (dL'' > 0) with f' = R dL'(T) - 1, dL'(T) = L_ref ln2 / d * 2^((T - T_ref)/d), so f has
 * its minimum at the tangency point T* where R dL'(T*) = 1:
 *
 *     T*        = T_ref + d log2(d / (R L_ref ln2))                (°C, the runaway point)
 *     dL(T*)    = d / (R ln2) - L_ref                              (W)
 *     f(T*)     = T_c + R (P - L_ref) + d / ln2 - T*
 *     T_c,crit  = T* - d / ln2 - R (P - L_ref)                     (°C: a steady state exists iff T_c <= T_c,crit)
 *     P_crit    = (T* - d / ln2 - T_c) / R + L_ref                 (W: ... iff P <= P_crit)
 *
 * When f(T*) <= 0 there are two roots T1 <= T* <= T2: T1 is stable (R dL' < 1), T2 unstable. When
 * f(T*) > 0 (T_c > T_c,crit) there is none and the junction heats without bound. Point of no
 * return: once T > T* and f(T) > 0 at the lowest power the GPU can draw (its idle power), f only
 * grows as T rises, so no clock throttling can stop the rise (as long as the coolant does not get
 * colder); gpu_runaway_escaped tests that. The tangency is the Lambert-W branch point of the
 * steady-state equation, written out here in closed form because the leakage is a pure exponential.
 *
 * Throttling: NVML's "SW thermal slowdown" throttle reason is documented as clocks lowered so that
 * the GPU temperature does not exceed its maximum operating temperature (NVML API reference,
 * nvmlClocksEventReasons / nvmlClocksThrottleReasonSwThermalSlowdown). dctwin models that
 * controller as a power limit P_lim on the profile power at the current coolant temperature; the
 * clock reduction it implies (and so the slowdown of compute-bound phases) follows the DVFS
 * relation of models/power/power_cap.h.
 *
 * ## Parameters (GpuJunctionParams)
 *
 * | name              | unit | meaning                                                           |
 * | ----------------- | ---- | ----------------------------------------------------------------- |
 * | r_th_k_w          | K/W  | junction to coolant (liquid supply or inlet air)                  |
 * | tau_s             | s    | first-order time constant of the junction temperature             |
 * | throttle_c        | °C   | T_thr: temperature the clock controller holds (max operating)     |
 * | limit_c           | °C   | junction alarm limit (e.g. the slowdown temperature)               |
 * | leakage_ref_c     | °C   | T_ref: junction temperature at which the profile powers hold      |
 * | leakage_w_at_ref  | W    | L_ref: leakage power at T_ref (0: no leakage feedback)            |
 * | leakage_doubling_k| K    | d: temperature rise that doubles leakage                          |
 *
 * No data-centre GPU publishes R or tau: the GPU profiles' `thermal` figures (the defaults of
 * cooling.gpu_thermal; docs/references.md) are assumptions built on public figures (the thresholds
 * nvidia-smi -q reports, a cold plate's case-to-inlet R, the ASHRAE inlet air range); the leakage
 * pair has no default. Measure them (gpu_runtime traces give power against temperature at fixed
 * clocks) for real studies.
 *
 * ## Validity
 *
 * One lumped junction per GPU, R and tau constant (flow near design); leakage exponential over the
 * operating range (20..100 °C); R > 0, tau > 0, d > 0, L_ref >= 0 (the loader checks).
 * steady_c returns +inf when no equilibrium exists (thermal runaway: T_c > T_c,crit above).
 *
 * ## How to use
 *
 *     GpuJunctionParams p{0.035, 2.0, 87.0, 92.0, 60.0, 70.0, 25.0};
 *     double t  = gpu_junction_steady_c(p, 700.0, 30.0);
 *     double lim = gpu_thermal_limit_w(p, 45.0);   // profile power that holds 87 °C at 45 °C coolant
 *
 * ## Accuracy
 *
 * As good as R, tau and the leakage pair; a single lumped time constant misses the die's faster
 * response inside a training step (see cold_plate.h). Real controllers act in ms steps on clocks;
 * dctwin applies the limit per thermal step and per compute phase.
 */

namespace dctwin::thermal {

struct GpuJunctionParams {
  double r_th_k_w = 0;
  double tau_s = 0;
  double throttle_c = 0;
  double limit_c = 0;
  double leakage_ref_c = 0;
  double leakage_w_at_ref = 0;
  double leakage_doubling_k = 1;
};

/// dL(T): leakage above its value at T_ref (W; negative below T_ref).
double gpu_leakage_delta_w(const GpuJunctionParams& p, double junction_c);

/// Steady junction temperature (°C) for profile power `power_w` at coolant `coolant_c`; +inf when
/// leakage runs away (coolant_c > gpu_runaway_coolant_c) or the equilibrium lies above 250 °C
/// (outside the model's validity).
double gpu_junction_steady_c(const GpuJunctionParams& p, double power_w, double coolant_c);

/// Junction temperature after `dt_s` from `t_now_c` with profile power and coolant held.
double gpu_junction_step_c(const GpuJunctionParams& p, double t_now_c, double power_w, double coolant_c, double dt_s);

/// T*: the junction temperature (°C) where R dL'(T) = 1, T_ref + d log2(d / (R L_ref ln2)); +inf
/// without leakage (L_ref = 0).
double gpu_runaway_point_c(const GpuJunctionParams& p);

/// R dL'(T): the loop gain of the leakage feedback at junction temperature `junction_c` (0 without
/// leakage); above 1 the junction temperature cannot rest there.
double gpu_leakage_gain(const GpuJunctionParams& p, double junction_c);

/// T_c,crit: the highest coolant temperature (°C) at which profile power `power_w` has a steady
/// junction temperature, T* - d/ln2 - R (P - L_ref); +inf without leakage.
double gpu_runaway_coolant_c(const GpuJunctionParams& p, double power_w);

/// Past the point of no return: T > T* and the junction still heats at the lowest power the GPU
/// can draw (`min_power_w`, its idle power) at coolant `coolant_c`; true for a non-finite T.
bool gpu_runaway_escaped(const GpuJunctionParams& p, double junction_c, double min_power_w, double coolant_c);

/// P_lim: highest profile power (W) whose steady junction temperature stays at or below
/// throttle_c at coolant `coolant_c` (may be below the idle power, or negative, when the coolant
/// is too warm: the caller clamps).
double gpu_thermal_limit_w(const GpuJunctionParams& p, double coolant_c);

}  // namespace dctwin::thermal
