// dctwin gpu-trace [--config FILE] [--duration-s 60] [--power-limit-w W] [--sample-hz 50] -o trace.csv:
// runs the training-step emulator (gpu_runtime/training_step.h) on one GPU while an NVML thread
// samples its power (gpu_runtime/common/nvml_sampler.h), and writes a dctwin trace with the phase
// markers. Exit 3 without an NVIDIA driver or GPU (or built without CUDA), with what to install.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "gpu_runtime/common/nvml_sampler.h"
#include "gpu_runtime/common/trace.h"
#include "gpu_runtime/training_step.h"
#include "sim/problems.h"

namespace dctwin::cli {

namespace {

struct GpuTraceArgs {
  std::string config, out, profile = "h200-sxm";
  double duration_s = 60, power_limit_w = 0, sample_hz = 50;
};

std::string num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

int run_gpu_trace(const GpuTraceArgs& a) {
  Problems bad;
  if (!(a.duration_s >= 10 && a.duration_s <= 86400)) bad.add("--duration-s", "value", "10 to 86400 s", num(a.duration_s));
  if (!(a.sample_hz > 0 && a.sample_hz <= 1000)) bad.add("--sample-hz", "value", "0 < Hz <= 1000", num(a.sample_hz));
  if (a.power_limit_w < 0 || !std::isfinite(a.power_limit_w)) bad.add("--power-limit-w", "value", "a power limit in W (> 0)", num(a.power_limit_w));
  if (!bad.empty()) throw InputError(bad);
  gpu::TrainingStepConfig cfg;
  if (!a.config.empty()) cfg = gpu::read_training_config(a.config);
  if (cfg.lead_idle_s + cfg.tail_idle_s >= a.duration_s) {
    bad.add("--duration-s", "value", "longer than the idle lead-in + lead-out (" + num(cfg.lead_idle_s + cfg.tail_idle_s) + " s)", num(a.duration_s));
    throw InputError(bad);
  }
#if !DCTWIN_WITH_CUDA
  throw EnvironmentError("gpu-trace: dctwin was built without CUDA: install the NVIDIA CUDA Toolkit (nvcc) and rebuild");
#endif
  gpu::Nvml nvml;
  if (!nvml.ok()) throw EnvironmentError("gpu-trace: " + nvml.error());
  const auto dev = static_cast<unsigned>(cfg.device);
  // NVML and CUDA may number devices differently unless CUDA_DEVICE_ORDER=PCI_BUS_ID; say which is used.
  const double previous_limit = nvml.power_limit_w(dev);
  if (a.power_limit_w > 0) {
    const std::string e = nvml.set_power_limit_w(dev, a.power_limit_w);
    if (!e.empty()) throw EnvironmentError("gpu-trace: " + e);
  }
  struct Restore {
    gpu::Nvml& n;
    unsigned d;
    double w;
    bool on;
    ~Restore() {
      if (on && std::isfinite(w)) n.set_power_limit_w(d, w);
    }
  } restore{nvml, dev, previous_limit, a.power_limit_w > 0};

  const auto origin = std::chrono::steady_clock::now();
  gpu::PowerSampler sampler(nvml, dev, a.sample_hz, origin);
  sampler.start();
  const gpu::EmulatorResult r = gpu::run_training_emulator(cfg, a.duration_s, origin);
  gpu::GpuSeries s = sampler.stop();
  if (!r.ok) throw EnvironmentError("gpu-trace: " + r.error);

  gpu::Trace tr;
  tr.format = "dctwin";
  tr.file = a.out;
  tr.average_window_s = 1.0;
  tr.meta["device"] = r.device_name;
  tr.meta["nvml_device_name"] = nvml.device_name(dev);
  tr.meta["power_limit_w"] = num(nvml.power_limit_w(dev));
  tr.meta["sample_hz"] = num(a.sample_hz);
  tr.meta["source"] = "dctwin gpu-trace: training-step emulator, NVML sampling";
  tr.meta["gemm_bf16_tflops"] = num(r.gemm_tflops);
  tr.meta["compute_phase_tflops"] = num(r.compute_tflops);
  tr.meta["config"] = "hidden " + std::to_string(cfg.hidden) + ", ffn " + std::to_string(cfg.ffn) + ", heads " +
                      std::to_string(cfg.heads) + ", seq_len " + std::to_string(cfg.seq_len) + ", micro_batch " +
                      std::to_string(cfg.micro_batch) + ", layers " + std::to_string(cfg.layers) + ", grad_accum " +
                      std::to_string(cfg.grad_accum) + ", comm " + cfg.comm_mode + " " + num(cfg.comm_s) + " s";
  tr.markers = r.markers;
  tr.gpus.push_back(std::move(s));
  gpu::write_dctwin_trace(tr, a.out);

  // The GEMM rate against the dense BF16 peak of the named profile (datasheet figure).
  double peak = 0;
  try {
    peak = load_builtin_profile(a.profile).peak_dense_bf16_tflops;
  } catch (const InputError&) {
  }
  std::printf("%s: %d steps, mean step %.3f s; BF16 GEMM %.1f TFLOP/s", r.device_name.c_str(), r.steps, r.mean_step_s, r.gemm_tflops);
  if (peak > 0) std::printf(" (%.1f %% of the %s datasheet dense peak %.0f)", 100.0 * r.gemm_tflops / peak, a.profile.c_str(), peak);
  std::printf("; compute phase %.1f TFLOP/s\n", r.compute_tflops);
  std::printf("wrote %s (%zu samples at %s Hz, %zu phase markers)\n", a.out.c_str(), tr.gpus[0].size(), num(a.sample_hz).c_str(), tr.markers.size());
  return 0;
}

}  // namespace

Command add_gpu_trace_command(CLI::App& app) {
  auto a = std::make_shared<GpuTraceArgs>();
  auto* sub = app.add_subcommand("gpu-trace", "Run the training-step emulator on a GPU and record its NVML power trace");
  sub->add_option("--config", a->config, "Emulator configuration JSON (see gpu_runtime/README.md)");
  sub->add_option("--duration-s", a->duration_s, "Length of the trace, s")->capture_default_str();
  sub->add_option("--power-limit-w", a->power_limit_w, "Set this power limit for the run (needs root; restored after)");
  sub->add_option("--sample-hz", a->sample_hz, "NVML sampling rate")->capture_default_str();
  sub->add_option("--profile", a->profile, "Built-in profile whose datasheet peak the GEMM rate is compared with")->capture_default_str();
  sub->add_option("-o,--output", a->out, "Trace file to write (dctwin format)")->required();
  return {sub, [a] { return run_gpu_trace(*a); }};
}

}  // namespace dctwin::cli
