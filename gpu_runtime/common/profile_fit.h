// gpu_runtime/common/profile_fit.h — fits the simulator's GPU power model to a power trace.
//
// ## Model fitted (the one models/power/gpu.h and docs/design.md, "GPU power model", describe)
//
//     target(t) = L[phase(t)]                                   piecewise constant, one level per phase
//     dp/dt     = (target(t) - p(t)) / tau,   tau = tau_rise if the level went up at the last
//                                                   boundary, tau_fall if it went down
//     instant field:  y(t_k) = p(t_k) + noise
//     averaged field: y(t_k) = (1/W) * integral_{t_k - W}^{t_k} p(s) ds + noise   (W = 1 s for
//                     nvmlDeviceGetPowerUsage / nvidia-smi power.draw on Ampere and newer)
//
// ## Method
//
// 1. Phases. With phase markers (dctwin traces) the segments are the markers' intervals. Without
//    (nvidia-smi, DCGM), from the signal alone: 1-D k-means level clustering (k = 2..5, the largest
//    k whose centres are all separated by > 8 robust noise SDs), runs of equal labels, runs that
//    only pass through a middle level during a transition merged away, then each boundary timed by
//    the crossing of the midpoint between the two levels and moved back by the model's delay of
//    that crossing (tau*ln2 for the instant field, W/2 + tau for the averaged one). Highest
//    in-step level = compute, lowest = communication, a middle one = optimizer; long low runs at
//    the very start or end of the trace = idle.
// 2. Levels and time constants by separable least squares (variable projection): for given
//    (tau_rise, tau_fall, shift_rise, shift_fall) the response is linear in the levels, solved with
//    Eigen (column-pivoting QR); the four nonlinear parameters by a coarse grid then
//    Levenberg–Marquardt on the projected residual. The shifts (a common delay of rising / falling
//    boundaries: marker latency, crossing-timing bias) are fitted only from the instant field.
//    Short phases: a phase of one to four samples (a 0.1-s optimizer step at 20 Hz) forms no
//    level cluster and hides in a transition, where, unmodelled, it inflates that transition's
//    fitted lag. When no optimizer level was found (instant field), an optimizer segment of
//    common duration d is tried before every compute start (or idle lead-out) and, separately,
//    after every compute end, d from 0.5 to 4 sample intervals; the best is kept when it lowers
//    the Bayesian information criterion and its level lies 6 noise SDs from compute and
//    communication. Not tried on the averaged field: a phase much shorter than the window leaves
//    too little trace to separate its level from its duration.
// 2b. Boundaries one by one (instant field, no markers): crossing times with a common correction
//    leave each boundary a few ms off (the midpoint crossing interpolated between samples on an
//    exponential, and after a short phase that never settled a crossing delay other than
//    tau ln 2), and a fit that holds them there widens the lags to cover the scatter: with a
//    2-sample optimizer at 20 Hz, tau_rise came out 1.33-1.46x. So every boundary is then fitted
//    on its own, continuous (sub-sample), jointly with the levels and both lags
//    (common/lagged_step_fit.h, Levenberg–Marquardt with the exact sparse Jacobian), from the
//    crossing-corrected boundaries; a segment under 5 sample intervals (an inserted short phase)
//    is first moved whole to its best offset (-4..+2 intervals, judged on the samples of it and
//    its neighbours), since a local fit cannot move it further than its own length. The fit starts twice, from the crossing fit's lags and from
//    0.7 times them (those come out too long when boundaries scatter; with every step sampled at
//    the same phase the first start alone stopped in a local minimum at 1.35x), and keeps the
//    lower residual. shift_rise_s / shift_fall_s then report the mean offset of
//    the fitted boundaries from the crossing times corrected by tau ln 2. On seeded traces with
//    a 2-sample optimizer (tests/unit/gpu_runtime/test_calibration_short_thermal.cpp, three
//    seeds): at 20 Hz tau_rise within 1.9 %, tau_fall within 0.6 %, the optimizer level within
//    0.6 % (also without phase-duration jitter); at 50 Hz (a 40-ms phase under a 50-ms lag) the
//    lags within 0.7 % and the level within 0.7 %; residual RMS at the noise. With markers the boundaries are the markers' (a common
//    latency per direction is fitted); with the averaged field they are not refined.
// 3. Step period: least-squares slope of the compute-phase start times against the step index.
// 4. Power cap (fit_power_cap): from traces at several power limits, the exponent a of
//    P = P_s + (P_0 - P_s)(f/f_0)^a (models/power/power_cap.h) by least squares through the
//    origin of ln((P - P_s)/(P_0 - P_s)) against ln(f/f_0); f from the SM clock when recorded,
//    else from the compute-phase slowdown f/f_0 = t_0/t. The same points (cap_fit_rows) also
//    feed the DVFS-curve fit of a limit sweep (limit_sweep.h: fitted P_s, exponent, knee), which
//    is what the calibrated profile's power_cap holds.
//
// ## Accuracy and limits
//
// On synthetic traces of this very model (noise, duration jitter, sampling jitter, 1-s
// averaging) it recovers levels, time constants and period within 3 % (tests/unit/
// test_calibration_fit.cpp states the cases). On real traces the model is a reduction: the
// power of a phase drifts with temperature (leakage) and clock, transitions are not exactly first
// order, and the averaged field's window is NVML's (modelled as a trailing 1-s boxcar; NVML does
// not document its exact filter). With the averaged field only, phases shorter than about W
// cannot be resolved and time constants much shorter than W are not identifiable
// (tau_resolved = false); record power.draw.instant (NVML_FI_DEV_POWER_INSTANT) when possible.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "gpu_runtime/common/limit_sweep.h"
#include "gpu_runtime/common/trace.h"

namespace dctwin::gpu {

/// Phases in the order of power::GpuPhase: idle, compute, communication, optimizer, checkpoint.
inline constexpr int kFitPhaseCount = 5;
const char* fit_phase_name(int phase);

struct ResidualSummary {
  double mean_w = 0, sd_w = 0, p1_w = 0, p50_w = 0, p99_w = 0, max_abs_w = 0;
  double lag1_autocorrelation = 0;  ///< near 0 for white residuals; near 1 means unmodelled structure
};

/// One phase of a training step as fitted: the phase and its mean duration.
struct StepPhase {
  int phase = 0;
  double duration_s = 0;
};

struct SeriesFit {
  int gpu = 0;
  std::string field;          ///< "instant" or "average"
  std::string segmentation;   ///< "markers" or "level clustering"
  double average_window_s = 1.0;
  std::array<double, kFitPhaseCount> level_w{};          ///< NaN when the phase was not observed
  std::array<double, kFitPhaseCount> mean_duration_s{};  ///< mean length of the phase's segments (complete ones), NaN if none
  std::array<int, kFitPhaseCount> segments{};            ///< number of segments of each phase
  double tau_rise_s = 0, tau_fall_s = 0;
  /// Delay of rising / falling boundaries: with markers the fitted common latency; from level
  /// clustering (instant field) the mean offset of the boundaries, each fitted on its own, from the
  /// crossing times corrected by tau ln 2; from the averaged field the fitted common correction.
  double shift_rise_s = 0, shift_fall_s = 0;
  bool tau_resolved = false;  ///< false when the data cannot determine the time constants
  int steps = 0;              ///< compute segments (training steps started)
  double step_period_s = 0;   ///< NaN with fewer than 2 steps
  double step_period_sd_s = 0;
  double compute_sm_clock_mhz = 0;  ///< mean SM clock in compute segments (NaN when not recorded)
  double power_limit_w = 0;         ///< median recorded limit (NaN when not recorded)
  std::size_t samples_used = 0;
  double rmse_w = 0;
  double energy_trace_j = 0, energy_model_j = 0, energy_error_pct = 0;  ///< over the samples used (trapezoid)
  double energy_counter_j = 0, energy_counter_error_pct = 0;  ///< vs the energy counter; NaN without one
  ResidualSummary residuals;
  /// One training step as fitted: the phases in the order of the first complete step (from one
  /// compute start to the next; checkpoints left out), each the mean over the complete steps
  /// with that same order (`step_count` of them). Empty with fewer than two compute starts.
  std::vector<StepPhase> step;
  int step_count = 0;
  std::vector<std::string> notes;  ///< what was assumed or could not be determined
};

/// Which kind of power the fit reads (`calibrate --field`). Auto infers it from the trace's
/// columns: the instant field when the trace has one, else the averaged one. Instant / Average
/// also say what a trace's only power column is: a column of the other kind is read as this one
/// (nvidia-smi's power.draw is the 1-s average on Ampere, except GA100, and newer but the
/// instantaneous power on older GPUs: NVML reference, nvmlDeviceGetPowerUsage).
enum class PowerField { Auto, Instant, Average };
/// "auto", "instant", "average"; throws std::invalid_argument otherwise.
PowerField power_field_from_string(const std::string& s);

struct FitOptions {
  bool use_markers = true;  ///< false: ignore markers, segment from the signal (for testing that path)
  bool prefer_instant = true;
  PowerField field = PowerField::Auto;  ///< used by fit_trace (it sets prefer_instant)
};

/// Fits one GPU's series. Throws InputError (file, "GPU n", ...) when the series cannot be fitted
/// (too short, no steps found, a single power level).
SeriesFit fit_series(const GpuSeries& s, const std::vector<PhaseMarker>& markers, double average_window_s,
                     const std::string& file, const FitOptions& opt = {});

/// One trace's fits, one per GPU.
struct TraceFit {
  std::string file, format;
  double power_limit_w = 0;  ///< NaN when unknown
  std::vector<SeriesFit> gpus;
  bool synthetic = false;    ///< the trace header says it is synthetic (never "measured")
  std::string field;         ///< the power field fitted: "instant" or "average"
  std::string field_column;  ///< the trace column it was read from
  bool field_inferred = true;  ///< false when FitOptions::field named it
  std::string field_statement;  ///< one sentence: the field, its column, and why (printed by calibrate)
  double mean_level(int phase) const;  ///< mean over GPUs (NaN when no GPU observed it)
  double mean_of(double SeriesFit::*field) const;
  /// The step of the first GPU that has one, each duration the mean over the GPUs whose step has
  /// the same phase order; empty when no GPU has one. `steps` (optional): steps averaged.
  std::vector<StepPhase> mean_step(int* steps = nullptr) const;
};

/// Fits every GPU of `trace` with the power field opt.field chooses (see PowerField).
TraceFit fit_trace(const Trace& trace, const FitOptions& opt = {});

struct CapPoint {
  double power_limit_w = 0, compute_w = 0, clock_ratio = 0, slowdown = 0;
  bool from_clock = false;
};
struct CapFit {
  bool ok = false;
  double exponent = 0;       ///< a
  double static_w = 0;       ///< P_s used (idle)
  double reference_w = 0;    ///< P_0 (compute at the highest limit)
  double rmse_log = 0;       ///< RMS residual of the log-linear fit
  std::vector<CapPoint> points;
  std::string note;          ///< why ok is false, or how f was obtained
};

/// Fits a from several traces (the one with the highest limit is the reference). ok=false with a
/// note when fewer than two distinct limits or no capped point is usable.
CapFit fit_power_cap(const std::vector<TraceFit>& fits);

/// The traces' power-cap points as limit-sweep rows (limit_sweep.h) for the DVFS-curve fit: the
/// reference (its limit, time 1, compute power P_0) then every point with a measured compute-phase
/// slowdown (its limit, t/t_0, compute power). Empty when the reference limit or power is unknown.
std::vector<LimitSweepRow> cap_fit_rows(const CapFit& c, double reference_limit_w);

}  // namespace dctwin::gpu
