// gpu_runtime/common/thermal_fit.h — fits the simulator's GPU junction model
// (models/thermal/gpu_junction.h) to a trace's temperature and power columns.
//
// ## Model fitted (gpu_junction.h, exactly)
//
//     T(t_{k+1}) = T*_k + (T(t_k) - T*_k) exp(-(t_{k+1} - t_k) / tau),   T*_k = T_c,k + R * P_k
//
// P_k is the power the trace measured (it already contains the leakage at the temperature the GPU
// had), held over [t_k, t_{k+1}) like the simulator holds a step's power; T_c the coolant (rack
// inlet air or cold-plate supply) the caller gives, constant (`calibrate --coolant-c`) or per
// sample. For an averaged power field the samples are moved back by half the window (the delay
// of a boxcar) before the fit.
//
// ## Method (output error, not equation error)
//
// The simulated temperature is T_k = D_k T_0 + C_k + R Q_k with D, C, Q the model's recursion run
// on 1, T_c and P: for a given tau it is linear in (T_0, R), solved by least squares; tau by a
// log-spaced grid (0.05 s .. half the trace) refined by golden-section search. Fitting the
// simulated output (not the one-step regression T_{k+1} on T_k) keeps the fit unbiased when the
// readings are quantised to whole degrees (nvidia-smi temperature.gpu, DCGM field 150): the
// quantisation error (uniform, SD 1/sqrt(12) K) enters only the residual, never a regressor.
//
// ## Uncertainty
//
// Standard deviations of R and tau from the Gauss–Newton covariance sigma^2 (J'J)^-1 inflated for
// correlated residuals (effective sample count n (1 - rho) / (1 + rho), rho the lag-1
// autocorrelation): quantisation of a slowly varying temperature is a correlated staircase, not
// white noise. With integer readings the report says so and states the resulting SDs.
//
// ## Leakage (fit_leakage)
//
// From traces at two or more coolant temperatures: the compute-phase power against the junction
// temperature, P = P_ref + L_ref (2^((T - T_ref)/d) - 1) (gpu_junction.h), T_ref the mean compute
// temperature of the coolest trace. Linear in (P_ref, L_ref) for given d; d by a grid over 5..200 K.
// Over the span two coolant temperatures give (typically 10-20 K), d is weakly determined; the
// leakage slope at T_ref, L_ref ln2 / d (W/K), is what the data fix: both are reported.
//
// ## Limits
//
// One lumped time constant (gpu_junction.h); the coolant is taken as the caller gives it (an
// inlet temperature that drifts and is not recorded biases R). The tau grid cannot resolve a time
// constant below about the sample interval (tau_resolved false).
#pragma once

#include <string>
#include <vector>

#include "gpu_runtime/common/profile_fit.h"
#include "gpu_runtime/common/trace.h"

namespace dctwin::gpu {

struct ThermalFit {
  double r_th_k_w = 0, tau_s = 0, initial_c = 0;
  double r_th_sd_k_w = 0, tau_sd_s = 0;  ///< 1-SD uncertainty (see the header)
  double rms_c = 0;                      ///< residual RMS of the simulated temperature
  double lag1_autocorrelation = 0;
  std::size_t samples_used = 0;
  bool quantised = false;                ///< every reading a whole degree
  bool tau_resolved = true;              ///< false when tau is below the sample interval or at the grid's end
  double temperature_span_c = 0;         ///< max - min of the readings
  std::string power_field;               ///< "instant" or "average" (shifted back by half its window)
  std::vector<std::string> notes;
};

/// Fits R and tau. `coolant_c` has one value per sample, or a single value for all. Throws
/// InputError (file, "GPU n", expected, found) when the data cannot determine them (fewer than 20
/// samples, a temperature span under 3 K, a power span under 10 W, a reading at or below the coolant).
ThermalFit fit_junction_thermal(const std::vector<double>& t_s, const std::vector<double>& power_w,
                                const std::vector<double>& temperature_c, const std::vector<double>& coolant_c,
                                const std::string& file, int gpu, bool power_is_average = false, double average_window_s = 1.0);

/// One trace's compute-phase samples for the leakage fit: power and junction temperature.
struct LeakageSamples {
  double coolant_c = 0;
  std::vector<double> power_w, temperature_c;
};

struct LeakageFit {
  bool ok = false;
  double reference_c = 0, w_at_reference = 0, doubling_k = 0, p_ref_w = 0;
  double slope_w_k = 0;   ///< dP/dT at T_ref = L_ref ln2 / d
  double rms_w = 0;
  std::size_t samples_used = 0;
  std::string note;       ///< why ok is false, or what is weakly determined
};

/// The leakage pair from traces at two or more coolant temperatures (at least 5 K apart).
LeakageFit fit_leakage(const std::vector<LeakageSamples>& traces);

/// One trace's thermal fits (one per GPU, the power field `fit` used) and its compute-phase samples
/// for fit_leakage (power above the midpoint between the fitted compute level and the next lower
/// level). Throws InputError (file, GPU, ...) when a GPU has no temperature or cannot be fitted.
struct TraceThermal {
  std::string file;
  double coolant_c = 0;
  std::vector<ThermalFit> gpus;
  LeakageSamples leakage;
};
/// `coolant_c` NaN: each sample's coolant from the trace's coolant column (GpuSeries::coolant_c);
/// TraceThermal::coolant_c is then the column's mean.
TraceThermal fit_trace_thermal(const Trace& trace, const TraceFit& fit, double coolant_c);

}  // namespace dctwin::gpu
