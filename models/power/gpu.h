#pragma once
/**
 * @file gpu.h
 * @brief GPU device profile and per-phase power of one GPU during a training step.
 *
 * ## Equation
 *
 *     P_gpu(t) = phase_power_w[phase(t)]            (W, piecewise constant per phase)
 *
 * A training iteration alternates phases: compute (near TDP), exposed communication (near idle),
 * optimizer, and occasionally checkpoint; a GPU outside any job is idle. Each phase draws a
 * constant power taken from a device profile.
 *
 * This is deliberately the simplest form. Later extensions, not in this file (docs/design.md,
 * "GPU power model"): first-order rise and fall lags between phases, a power cap acting through the DVFS
 * relation (dynamic power ~ f V^2, which slows compute-bound phases), temperature-dependent
 * leakage, and NVIDIA power smoothing (floor as a share of TDP, ramp rates, ramp-down hysteresis).
 *
 * ## Parameters (GpuProfile)
 *
 * | name                   | unit     | meaning                                                  |
 * | ---------------------- | -------- | -------------------------------------------------------- |
 * | name                   | -        | profile id, e.g. "h100-sxm"                              |
 * | description            | -        | free text                                                |
 * | tdp_w                  | W        | board power limit (a rating, not an operating point)      |
 * | idle_w                 | W        | power with no kernel running                             |
 * | memory_gb              | GB       | device memory                                            |
 * | peak_dense_bf16_tflops | TFLOP/s  | datasheet dense BF16 peak                                |
 * | phase_power_w          | W        | power in each GpuPhase, indexed by the enum's value      |
 * | sources                | -        | figure -> provenance: "datasheet:", "assumption:", "measured:" |
 * | thermal                | °C, K/W, s | optional GpuThermalFigures: NVIDIA's temperature thresholds and a junction-to-coolant R and tau for a cold plate and an air heat sink |
 *
 * ## Validity
 *
 * Phases longer than the GPU's power-response time (milliseconds) and power reported as the
 * mean over a phase. Preconditions (caller's job): phase values >= 0. A phase value above tdp_w
 * is returned as given, never clipped; checking profiles against tdp_w is the loader's job.
 *
 * ## How to use
 *
 *     GpuProfile g; g.name = "h100-sxm"; g.tdp_w = 700; g.idle_w = 70;
 *     g.phase_power_w[static_cast<int>(GpuPhase::Compute)] = 700;   // "assumption: TDP"
 *     double w = gpu_power_w(g, GpuPhase::Compute);
 *
 * ## Accuracy
 *
 * Only as good as the profile. Datasheet TDP is a rating, a ceiling rather than an operating
 * point: real compute phases may draw less (memory-bound kernels, for example), so profiles
 * calibrated from NVML/DCGM traces (gpu_runtime) should be preferred to datasheet
 * assumptions. Real transitions take milliseconds (Choukse et al.), so steps are a fair first
 * approximation; telemetry smears them (`nvmlDeviceGetPowerUsage` is a 1-s average on Ampere,
 * except GA100, and newer), so compare model and trace after the same averaging.
 *
 * ## Source
 *
 * Phase behaviour: Choukse et al., "Power Stabilization for AI Training Datacenters",
 * arXiv 2508.14318 (2025). Device figures: NVIDIA H100/H200/B200 datasheets; idle from public
 * 8xH100 nvidia-smi traces (docs/references.md).
 */

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "models/power/power_cap.h"

namespace dctwin::power {

enum class GpuPhase { Idle, Compute, Communication, Optimizer, Checkpoint };
inline constexpr int kGpuPhaseCount = 5;

/// "idle", "compute", "communication", "optimizer", "checkpoint".
const char* to_string(GpuPhase phase);

/// Inverse of to_string (exact, lower case); nullopt for anything else.
std::optional<GpuPhase> gpu_phase_from_string(std::string_view text);

/// The thermal figures of a GPU (profile key "thermal"): the temperature thresholds nvidia-smi -q
/// reports ("GPU Max Operating Temp", "GPU Slowdown Temp", "GPU Shutdown Temp") and a lumped
/// junction-to-coolant resistance and time constant for the two ways a GPU is cooled
/// (models/thermal/gpu_junction.h uses them). R is referenced to the coolant inlet: cold-plate
/// supply water, or the inlet air of an air heat sink.
struct GpuThermalFigures {
  double max_operating_c = 0;      ///< °C, the temperature the SW thermal slowdown holds
  double slowdown_c = 0;           ///< °C, HW slowdown
  double shutdown_c = 0;           ///< °C
  double cold_plate_r_th_k_w = 0;  ///< K/W, junction to cold-plate inlet water
  double cold_plate_tau_s = 0;     ///< s
  double air_r_th_k_w = 0;         ///< K/W, junction to heat-sink inlet air
  double air_tau_s = 0;            ///< s
};

struct GpuProfile {
  std::string name;                                    ///< e.g. "h100-sxm"
  std::string description;
  double tdp_w = 0;                                    ///< W
  double idle_w = 0;                                   ///< W
  double memory_gb = 0;                                ///< GB
  double peak_dense_bf16_tflops = 0;                   ///< TFLOP/s
  std::array<double, kGpuPhaseCount> phase_power_w{};  ///< W, indexed by GpuPhase
  std::map<std::string, std::string> sources;          ///< figure name -> provenance text
  double tau_rise_s = 0;  ///< s, first-order lag of power rises (0: none; "power_lag", models/power/power_lag.h)
  double tau_fall_s = 0;  ///< s, of falls
  std::optional<GpuThermalFigures> thermal;  ///< "thermal" (sources: thermal_limits, thermal_cold_plate, thermal_air)
  std::optional<DvfsCurve> power_cap;  ///< "power_cap": the DVFS curve power caps follow (source "power_cap"; power_cap.h)
};

/// Power of one GPU in `phase` (W).
double gpu_power_w(const GpuProfile& g, GpuPhase phase);

}  // namespace dctwin::power
