// GPU device profiles (scenarios/profiles/*.json; docs/scenario.md "gpu_profiles"): reading one
// (strict: every problem with file and JSON path), the built-in ones, and writing one, e.g. the
// profile `dctwin calibrate` makes by merging figures fitted to power traces into a base profile.
//
// The profile file:
//   { "name", "description", "tdp_w", "idle_w", "memory_gb", "peak_dense_bf16_tflops",
//     "phase_power_w": { "idle", "compute", "communication", "optimizer", "checkpoint" }   (W),
//     "sources": { one provenance per figure, starting with "datasheet:", "public trace:",
//                  "measured:" or "assumption:" },
//     "power_lag": { "tau_rise_s", "tau_fall_s" }   optional (models/power/power_lag.h),
//     "thermal": { "max_operating_c", "slowdown_c", "shutdown_c",            optional (°C, as
//                  nvidia-smi -q reports them), "cold_plate": { "r_th_k_w", "tau_s" },
//                  "air": { "r_th_k_w", "tau_s" } }: the defaults of cooling.gpu_thermal, with
//                  sources "thermal_limits", "thermal_cold_plate", "thermal_air" }
//     "power_cap": { "static_w", "exponent", "knee_clock_ratio" }   optional: the DVFS curve a
//                  job's power cap follows (models/power/power_cap.h), source "power_cap";
//                  fitted by `dctwin calibrate --limit-sweep`
#pragma once
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "models/power/gpu.h"

namespace dctwin {

// The built-in profiles, compiled into the binary.
const std::vector<std::string>& builtin_profile_names();
std::string_view builtin_profile_text(const std::string& name);  // "" when unknown
power::GpuProfile load_builtin_profile(const std::string& name);

// Parses one profile object; problems are added to the reader's list.
power::GpuProfile read_gpu_profile(JsonReader& r);
// Reads a profile JSON file; problems (unreadable file, JSON syntax, the profile's own) are added
// to `problems`, named with `path`.
power::GpuProfile read_gpu_profile_file(const std::string& path, Problems& problems);
// A built-in profile by name, else a profile JSON file. `described` (optional) is set to
// "built-in profile NAME" or the path. Throws InputError.
power::GpuProfile load_gpu_profile(const std::string& name_or_file, std::string* described = nullptr);

// The profile as a file that read_gpu_profile reads back: the figures, every phase, the sources
// of the five figures, power_lag (with its source) when tau_rise_s > 0, and thermal (with its
// three sources) when the profile has it.
json gpu_profile_json(const power::GpuProfile& g);
// Writes gpu_profile_json(g) to `path` (atomically, 2-space indented) after reading that text
// back through the scenario loader's own check (read_gpu_profile): a profile it would refuse is
// not written; its problems, named with `path`, are thrown as InputError.
void write_gpu_profile(const std::string& path, const power::GpuProfile& g);
// What the scenario loader would report reading gpu_profile_json(g) from `path` (empty: it loads).
Problems gpu_profile_load_problems(const power::GpuProfile& g, const std::string& path);

// ---- calibration: fitted figures merged into a base profile -------------------------------------

// What a calibration fitted from its reference trace (gpu_runtime/common/profile_fit.h), in the
// profile's terms. NaN where the trace did not show a figure.
struct ProfileFit {
  std::string trace_file;    // the reference trace
  std::string trace_format;  // "nvidia-smi", "dcgm" or "dctwin"
  std::size_t gpus = 0;      // GPUs in the trace; the levels are their mean
  double power_limit_w = NAN;
  bool synthetic = false;    // fitted from a synthetic trace: provenance "assumption:", never "measured:"
  std::array<double, power::kGpuPhaseCount> phase_power_w{NAN, NAN, NAN, NAN, NAN};  // W; [0] is idle
  double tau_rise_s = NAN, tau_fall_s = NAN;  // s; NaN unless every GPU of the trace resolved them
  std::string field = "instant";  // the power field fitted: "instant" or "average" (1-s boxcar)
  std::string field_column;       // the trace column it came from ("" when unknown)
  bool field_inferred = true;     // false when `calibrate --field` named it
  // The junction model fitted to the traces' temperatures (gpu_runtime/common/thermal_fit.h), NaN
  // unless fitted: merged into the thermal figures of `heat_sink` ("cold_plate" or "air") with
  // `thermal_source` ("measured: ..." or "assumption: ... SYNTHETIC ...") as provenance.
  double r_th_k_w = NAN, thermal_tau_s = NAN;
  std::string heat_sink = "cold_plate";
  std::string thermal_source;
};

// The fit report written next to a calibrated profile: PATH.json -> PATH.fit.json.
std::string profile_fit_report_path(const std::string& profile_path);

// The calibrated profile: `base` (read from `base_file`, named in provenance) with the fitted idle
// and phase levels; a phase the trace did not show keeps the base level, raised to the fitted
// idle_w when below it. The lags come from the fit (both > 0) or are left out. A fitted junction R
// and tau replace the base's figures for the fit's heat sink (the thresholds and the other heat
// sink keep the base's figures and provenance); a base without thermal figures gets none (the
// thresholds are not in a trace). `name` "" gives
// "<base>-calibrated". `profile_path` is where the profile will be written (its description
// names the fit report). Throws InputError, one line per phase, when a fitted level is outside
// what the loader accepts ([0, tdp_w] for idle, [idle_w, tdp_w] for the others): the phase, the
// fitted value, the bounds, the likely cause (given the power field fitted) and the fix.
power::GpuProfile merge_profile_fit(const power::GpuProfile& base, const std::string& base_file, const ProfileFit& fit,
                                    const std::string& name, const std::string& profile_path);

// `base` with the power-cap DVFS curve a limit sweep (or traces at several limits) gave
// (`dctwin calibrate --limit-sweep`, gpu_runtime/common/limit_sweep.h); `fitted_from` names the
// data (provenance "measured: ..."). The other figures are the base's.
power::GpuProfile merge_power_cap_fit(const power::GpuProfile& base, const power::DvfsCurve& curve, const std::string& fitted_from,
                                      const std::string& name, const std::string& profile_path);

}  // namespace dctwin
