// The fit report of `dctwin calibrate` (PROFILE.fit.json, next to the profile) and its summary on
// stdout: each trace's per-GPU fits (gpu_runtime/common/profile_fit.h) and the power-cap fit.
#pragma once
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "gpu_runtime/common/profile_fit.h"
#include "gpu_runtime/common/thermal_fit.h"

namespace dctwin::cli {

// The report: the profile made, its base, the reference trace (`reference`, one of `fits`) with
// its mean lags and step period, the power-cap fit and every trace's fits.
json fit_report_json(const std::string& profile_name, const std::string& base_file, const gpu::TraceFit& reference,
                     const gpu::CapFit& cap, const std::vector<gpu::TraceFit>& fits);

// The summary: the profile and its reference trace, then each GPU's levels, lags, step period,
// errors and residuals, then the power-cap fit.
void print_fit_summary(const std::string& profile_name, bool synthetic, const gpu::TraceFit& reference, const gpu::CapFit& cap,
                       const std::vector<gpu::TraceFit>& fits);

// The DVFS-curve fit of a power-limit sweep or of traces at several limits
// (gpu_runtime/common/limit_sweep.h): the curve, the compute-bound share, the errors and
// "points" [{limit_w, avg_power_w, measured_slowdown, predicted_slowdown,
// leave_one_out_slowdown}]. Null figures when not fitted.
json sweep_fit_json(const gpu::SweepFit& f);
// Its one-paragraph summary on stdout.
void print_sweep_fit(const gpu::SweepFit& f);

// The reference trace's fitted step as a scenario's jobs[].step array (docs/scenario.md):
// [{"phase", "duration_s"}...], durations rounded to 4 significant figures; empty when the trace
// showed no complete step.
json step_array_json(const gpu::TraceFit& reference);

// Prints step_array_json(reference), ready to paste, or why there is none.
void print_step_array(const gpu::TraceFit& reference);

// The junction thermal fit (gpu_runtime/common/thermal_fit.h) for the report's "thermal" key:
// "gpu_thermal" (r_th_k_w, tau_s: the mean over every trace's GPUs; leakage {reference_c,
// w_at_reference, doubling_k} when fitted, else null; the key names of a scenario's
// cooling.gpu_thermal), its provenance ("measured: ..." or, from a synthetic trace,
// "assumption: ..."), and each trace's per-GPU fits (values, SDs, residual RMS, samples used).
json thermal_report_json(const std::vector<gpu::TraceThermal>& traces, const gpu::LeakageFit& leakage, bool synthetic);

// Prints each GPU's thermal fit and the leakage fit, then the gpu_thermal figures ready to paste.
void print_thermal_summary(const json& thermal_report);

}  // namespace dctwin::cli
