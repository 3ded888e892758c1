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
//   after grad_accum micro-batches: communication (emulated: device-to-device copies of the
//   gradients paced to `comm_bandwidth_gbs`, or an idle wait), then AdamW over every parameter
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
  int hidden = 4096, ffn = 16384, heads = 32, seq_len = 2048, micro_batch = 2, layers = 4, grad_accum = 4;
  std::string comm_mode = "traffic";  ///< "traffic" (paced D2D copies of the gradients) or "idle"
  double comm_s = 0.5;                ///< communication phase length, s
  double comm_bandwidth_gbs = 400;    ///< pacing of the emulated traffic, GB/s (NVLink-class)
  int optimizer_repeats = 8;
  double lead_idle_s = 5, tail_idle_s = 5;  ///< idle before the first and after the last step
};

/// Reads a JSON configuration (every key optional, unknown keys rejected; see README.md). Throws
/// InputError with file and JSON path for bad values.
TrainingStepConfig read_training_config(const std::string& path);

struct EmulatorResult {
  bool ok = false;
  std::string error;                 ///< one line: cause and what to install or check
  std::string device_name;
  std::vector<PhaseMarker> markers;  ///< phase starts, then "end"
  int steps = 0;
  double mean_step_s = 0;
  double gemm_tflops = 0;            ///< BF16 GEMM benchmark (FFN-up shape), TFLOP/s
  double compute_tflops = 0;         ///< all GEMM FLOPs of the compute phases / their wall time
  double flops_per_step = 0;
};

using SteadyClock = std::chrono::steady_clock;

/// Runs lead idle, then steps until `duration_s` (from `origin`) minus the tail idle is reached,
/// then the tail idle. Never throws.
EmulatorResult run_training_emulator(const TrainingStepConfig& cfg, double duration_s, SteadyClock::time_point origin);

}  // namespace dctwin::gpu
