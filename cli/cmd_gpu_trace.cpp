// dctwin gpu-trace [--config FILE] [--duration-s 60] [--power-limit-w W] [--sample-hz 50] -o trace.csv:
// runs the training-step emulator (gpu_runtime/training_step.h) on one GPU while an NVML thread
// samples its power (gpu_runtime/common/nvml_sampler.h), and writes a dctwin trace with the phase
// markers. Exit 3 without an NVIDIA driver or GPU (or built without CUDA), with what to install.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "cli/common.h"
#include "gpu_runtime/common/nvml_sampler.h"
#include "gpu_runtime/common/trace.h"
#include "gpu_runtime/training_step.h"
#include "core/problems.h"
#include "sim/input/gpu_profile.h"

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
  // NVML and CUDA number devices alike only with CUDA_DEVICE_ORDER=PCI_BUS_ID (README.md); the
  // configuration's CUDA indices are used for both.
  std::vector<unsigned> devs;
  for (const int d : gpu::device_list(cfg)) devs.push_back(static_cast<unsigned>(d));
  // The limit is set on every GPU of the run and each GPU's previous limit restored afterwards.
  struct Restore {
    gpu::Nvml& n;
    std::vector<std::pair<unsigned, double>> previous;
    ~Restore() {
      for (const auto& [d, w] : previous)
        if (std::isfinite(w)) n.set_power_limit_w(d, w);
    }
  } restore{nvml, {}};
  if (a.power_limit_w > 0)
    for (const unsigned d : devs) {
      const double previous = nvml.power_limit_w(d);
      const std::string e = nvml.set_power_limit_w(d, a.power_limit_w);
      if (!e.empty()) throw EnvironmentError("gpu-trace: GPU " + std::to_string(d) + ": " + e);
      restore.previous.emplace_back(d, previous);
    }

  const auto origin = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<gpu::PowerSampler>> samplers;
  for (const unsigned d : devs) {
    samplers.push_back(std::make_unique<gpu::PowerSampler>(nvml, d, a.sample_hz, origin));
    samplers.back()->start();
  }
  const gpu::EmulatorResult r = gpu::run_training_emulator(cfg, a.duration_s, origin);
  std::vector<gpu::GpuSeries> series;
  for (auto& sp : samplers) series.push_back(sp->stop());
  if (!r.ok) throw EnvironmentError("gpu-trace: " + r.error);

  gpu::Trace tr;
  tr.format = "dctwin";
  tr.file = a.out;
  tr.average_window_s = 1.0;
  tr.meta["device"] = r.device_name;
  tr.meta["nvml_device_name"] = nvml.device_name(devs[0]);
  tr.meta["power_limit_w"] = num(nvml.power_limit_w(devs[0]));
  std::string list, per_gpu;
  for (std::size_t i = 0; i < devs.size(); ++i) {
    list += (i ? " " : "") + std::to_string(devs[i]);
    per_gpu += (i ? " " : "") + num(r.gemm_tflops_per_gpu[i]);
  }
  tr.meta["devices"] = list;
  tr.meta["gemm_bf16_tflops_per_gpu"] = per_gpu;
  tr.meta["comm_mode"] = r.comm_mode + (r.nccl_version.empty() ? "" : " (NCCL " + r.nccl_version + ")");
  tr.meta["sample_hz"] = num(a.sample_hz);
  tr.meta["source"] = "dctwin gpu-trace: training-step emulator, NVML sampling";
  tr.meta["gemm_bf16_tflops"] = num(r.gemm_tflops);
  tr.meta["compute_phase_tflops"] = num(r.compute_tflops);
  tr.meta["config"] = "hidden " + std::to_string(cfg.hidden) + ", ffn " + std::to_string(cfg.ffn) + ", heads " +
                      std::to_string(cfg.heads) + ", seq_len " + std::to_string(cfg.seq_len) + ", micro_batch " +
                      std::to_string(cfg.micro_batch) + ", layers " + std::to_string(cfg.layers) + ", grad_accum " +
                      std::to_string(cfg.grad_accum) + ", comm " + r.comm_mode +
                      (r.comm_mode == "nccl" ? "" : " " + num(cfg.comm_s) + " s") + ", optimizer_repeats " +
                      std::to_string(cfg.optimizer_repeats);
  tr.markers = r.markers;
  tr.gpus = std::move(series);
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
  if (r.gemm_tflops_per_gpu.size() > 1) std::printf("per GPU BF16 GEMM TFLOP/s: %s; communication: %s\n", per_gpu.c_str(), tr.meta["comm_mode"].c_str());
  std::size_t samples = 0;
  for (const auto& g : tr.gpus) samples += g.size();
  std::printf("wrote %s (%zu GPU%s, %zu samples at %s Hz, %zu phase markers)\n", a.out.c_str(), tr.gpus.size(),
              tr.gpus.size() == 1 ? "" : "s", samples, num(a.sample_hz).c_str(), tr.markers.size());
  return 0;
}

}  // namespace

Command add_gpu_trace_command(CLI::App& app) {
  auto a = std::make_shared<GpuTraceArgs>();
  auto* sub = app.add_subcommand("gpu-trace", "Run the training-step emulator on a GPU and record its NVML power trace");
  sub->add_option("--config", a->config, "Emulator configuration JSON (see gpu_runtime/README.md; default: the built-in configuration)");
  sub->add_option("--duration-s", a->duration_s, "Length of the trace, s")->capture_default_str();
  sub->add_option("--power-limit-w", a->power_limit_w, "Set this power limit for the run (needs root; restored after; 0: leave the limit as it is)");
  sub->add_option("--sample-hz", a->sample_hz, "NVML sampling rate")->capture_default_str();
  sub->add_option("--profile", a->profile, "Built-in profile whose datasheet peak the GEMM rate is compared with")->capture_default_str();
  add_out_option(sub, a->out, "Trace file to write (dctwin format)", "FILE")->required();
  return {sub, [a] { return run_gpu_trace(*a); }};
}

}  // namespace dctwin::cli
