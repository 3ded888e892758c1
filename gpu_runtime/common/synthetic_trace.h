// gpu_runtime/common/synthetic_trace.h — seeded synthetic power traces with known parameters, to
// test the calibration fit (and the CLI round trip) without a GPU.
//
// A synthetic trace is NOT a measurement: its header carries "synthetic: true" and a "source" line
// saying so, and `dctwin calibrate` then labels every fitted figure "assumption:" (never
// "measured:").
//
// Generation (independent of the fitter's closed forms): the true power follows a first-order lag
// towards piecewise-constant phase levels, integrated with an exact exponential update on a fine
// grid (`fine_step_s`); the averaged field is the trailing `average_window_s` boxcar of that fine
// series; the energy counter its running integral (rounded to whole mJ like NVML). Phase durations
// get a multiplicative Gaussian jitter per step, sample times a uniform jitter, and both power
// fields additive Gaussian noise.
#pragma once

#include <cstdint>

#include "gpu_runtime/common/trace.h"

namespace dctwin::gpu {

struct SyntheticSpec {
  double idle_w = 75, compute_w = 680, communication_w = 160, optimizer_w = 420;
  double compute_s = 2.0, communication_s = 0.8, optimizer_s = 0.5;  ///< nominal phase durations
  double duration_jitter = 0.05;  ///< SD of the per-phase duration multiplier (Gaussian, clipped at +-3 SD)
  double tau_rise_s = 0.05, tau_fall_s = 0.1;  ///< first-order lags (real transitions: ms to tens of ms)
  double lead_idle_s = 4, tail_idle_s = 4;
  int steps = 20;
  int gpus = 1;
  double sample_hz = 50;
  double sample_jitter_s = 0.002;  ///< uniform in +-this around the nominal sample time
  double noise_w = 4;              ///< SD of the noise on each power field
  double average_window_s = 1.0;
  bool instant = true, average = true, energy = true, markers = false;
  double power_limit_w = 700;
  double sm_clock_mhz = 1980;      ///< recorded in compute phases (idle clock elsewhere)
  double fine_step_s = 1e-4;
  std::uint64_t seed = 1;
  // Junction temperature by models/thermal/gpu_junction.h (its step update on the fine grid, from
  // the steady idle temperature), the leakage it implies added to both power fields. r_th_k_w 0:
  // a constant 40 °C column and no leakage.
  double r_th_k_w = 0, tau_th_s = 3.0, coolant_c = 30;
  double leakage_ref_c = 60, leakage_w_at_ref = 0, leakage_doubling_k = 25;
  double temperature_noise_c = 0;    ///< SD of Gaussian noise on the readings
  double temperature_quantum_c = 0;  ///< 1: whole-degree readings (nvidia-smi, DCGM); 0: none
};

Trace make_synthetic_trace(const SyntheticSpec& spec);

}  // namespace dctwin::gpu
