// gpu_runtime/training_step.h — the training-step emulator: a transformer block stack run on a GPU
// with real BF16 tensor-core GEMMs, in the phases of a data-parallel training step, each phase
// start marked with a host timestamp on the same clock as the NVML power samples.
//
// Plain C++ (no CUDA headers). Implementations: gpu_runtime/training_step.cu (CUDA build) and
// gpu_runtime/nocuda/training_step_nocuda.cpp (ok=false, "built without CUDA"). The configuration
// reader is pure C++ (gpu_runtime/common/training_config.cpp).
//
// What one step runs (per micro-batch, per layer; T = micro_batch * seq_len tokens, h = hidden,
// f = ffn, d = h / heads; GEMMs through cuBLASLt in BF16 with FP32 accumulation):
//   forward:  layer norm; QKV GEMM (T x h x 3h); attention: scores Q K^T and context P V as
//             batched GEMMs (micro_batch * heads batches of S x S x d) with a softmax kernel between;
//             output projection (T x h x h); layer norm; FFN up (T x h x f); GELU; FFN down (T x f x h)
//   backward: for every forward GEMM the data-gradient and weight-gradient GEMMs (same shapes), the
//             attention backward batched GEMMs, and the element-wise backward kernels
//   after grad_accum micro-batches: communication (an NCCL all-reduce of the gradients across the
//   run's GPUs, or emulated on one: device-to-device copies of the gradients paced to
//   `comm_bandwidth_gbs`, or an idle wait), then AdamW over every parameter
//   (FP32 master weights, moments; BF16 weights written back), repeated `optimizer_repeats` times
//   so the phase lasts long enough to be seen at the sampler's rate (a real step runs it once).
// The numbers computed are not a model being trained (random weights, activations recomputed in
// place): the kernels do the arithmetic and the memory traffic of one, which is what draws power.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gpu_runtime/common/trace.h"

namespace dctwin::gpu {

struct TrainingStepConfig {
  int device = 0;
  std::vector<int> devices;  ///< several local GPUs (CUDA indices), one host thread each; empty: {device}
  int hidden = 4096, ffn = 16384, heads = 32, seq_len = 2048, micro_batch = 2, layers = 4, grad_accum = 32;
  /// "nccl" (in-place BF16 sum all-reduce of the gradients across `devices`, NCCL), "traffic" (paced
  /// D2D copies of the gradients), "idle" (a wait), or "auto": nccl with several devices, else traffic.
  std::string comm_mode = "auto";
  double comm_s = 0.5;                ///< length of the traffic / idle communication phase, s (not nccl's)
  double comm_bandwidth_gbs = 400;    ///< pacing of the emulated traffic, GB/s (NVLink-class)
  int optimizer_repeats = 48;  ///< ~0.25 s on an H200 at the default size (README.md, estimate)
  double lead_idle_s = 5, tail_idle_s = 5;  ///< idle before the first and after the last step
};

/// The GPUs a run uses (`devices`, or {device}) and its communication mode with "auto" resolved.
std::vector<int> device_list(const TrainingStepConfig& c);
std::string effective_comm_mode(const TrainingStepConfig& c);

/// Reads a JSON configuration (every key optional, unknown keys rejected; see README.md). Throws
/// InputError with file and JSON path for bad values.
TrainingStepConfig read_training_config(const std::string& path);

struct EmulatorResult {
  bool ok = false;
  std::string error;                 ///< one line: cause and what to install or check
  std::string device_name;           ///< the first GPU's (with its count when there are several)
  std::vector<int> devices;          ///< CUDA indices used
  std::string comm_mode;             ///< as run ("nccl", "traffic", "idle")
  std::string nccl_version;          ///< with comm_mode nccl
  std::vector<PhaseMarker> markers;  ///< phase starts, then "end"
  int steps = 0;
  double mean_step_s = 0;
  double gemm_tflops = 0;            ///< sustained BF16 GEMM rate (FFN-up shape, >= 1 s), TFLOP/s; the lowest GPU's
  std::vector<double> gemm_tflops_per_gpu;  ///< the same, per GPU in `devices` order
  double compute_tflops = 0;         ///< all GEMM FLOPs of the compute phases / their wall time; the lowest GPU's
  double flops_per_step = 0;
};

using SteadyClock = std::chrono::steady_clock;

/// Runs lead idle, then steps until `duration_s` (from `origin`) minus the tail idle is reached,
/// then the tail idle. Never throws.
EmulatorResult run_training_emulator(const TrainingStepConfig& cfg, double duration_s, SteadyClock::time_point origin);

}  // namespace dctwin::gpu
