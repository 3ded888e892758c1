// gpu_runtime/common/nvml_sampler.h — GPU power, energy, temperature, clock and throttle sampling
// through NVML, loaded at run time with dlopen("libnvidia-ml.so.1") (no NVML header or library is
// needed to build; without a driver the loader reports ok=false with what to install).
//
// Pure C++ (built with and without CUDA): NVML is part of the NVIDIA driver, not of the toolkit.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gpu_runtime/common/trace.h"

namespace dctwin::gpu {

class Nvml {
 public:
  /// dlopen + nvmlInit_v2. ok() false (and error() says why and what to install) on failure.
  Nvml();
  ~Nvml();
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  /// Device name, or "" on failure.
  std::string device_name(unsigned index);
  /// Enforced power limit, W (NaN on failure).
  double power_limit_w(unsigned index);
  /// Sets the power-management limit (needs root). Returns "" or the error.
  std::string set_power_limit_w(unsigned index, double watts);

  struct Reading {
    double power_w, power_avg_w, energy_j, temperature_c, sm_clock_mhz, power_limit_w;
    unsigned long long throttle_reasons;
    bool has_instant, has_avg, has_energy, has_throttle;
  };
  /// One reading of every field (fields that fail are NaN / has_* false).
  Reading read(unsigned index);

  struct Api;

 private:
  void* lib_ = nullptr;
  std::unique_ptr<Api> api_;
  bool ok_ = false;
  std::string error_;
};

/// A sampling thread: reads `nvml` for one device at `hz` (default 50) and timestamps each reading
/// with the host steady clock relative to `origin` (the clock of the emulator's phase markers).
class PowerSampler {
 public:
  PowerSampler(Nvml& nvml, unsigned index, double hz, std::chrono::steady_clock::time_point origin);
  ~PowerSampler();
  void start();
  /// Stops the thread and returns the samples (fields never read successfully are absent).
  GpuSeries stop();

 private:
  void loop();
  Nvml& nvml_;
  unsigned index_;
  double hz_;
  std::chrono::steady_clock::time_point origin_;
  std::atomic<bool> running_{false};
  std::thread thread_;
  GpuSeries series_;
};

}  // namespace dctwin::gpu
