// gpu_runtime/device_info.h — what GPUs this process can see, and a calibration load.
//
// Plain C++ (no CUDA headers), so the CLI, the tests and anything else can include it whether or
// not dctwin was built with CUDA. Two implementations exist and exactly one is linked:
//   gpu_runtime/device_info.cu               (built when nvcc is found; DCTWIN_WITH_CUDA=1)
//   gpu_runtime/nocuda/device_info_nocuda.cpp (otherwise; DCTWIN_WITH_CUDA=0)
// The stand-in never fakes a device or a measurement: it reports ok=false and says what to install.
//
// Neither function throws. A missing environment piece (no toolkit at build time, no driver, no
// device) comes back as ok=false with one line in `error` naming the cause and the fix; callers
// (the CLI) turn that into exit code 3 (docs/design.md, "Exit codes").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dctwin::gpu {

/// One CUDA device as the runtime reports it.
struct DeviceInfo {
  int index = -1;                  ///< CUDA device ordinal (after CUDA_VISIBLE_DEVICES)
  std::string name;                ///< e.g. "NVIDIA H200"
  int cc_major = 0;                ///< compute capability, e.g. 9 for Hopper
  int cc_minor = 0;
  std::size_t memory_bytes = 0;    ///< total global memory, bytes
  int sm_count = 0;                ///< streaming multiprocessors
  int sm_clock_khz = 0;            ///< peak SM clock, kHz (cudaDevAttrClockRate)
};

/// Result of query_devices().
struct DeviceQuery {
  bool built_with_cuda = false;    ///< true when this binary contains the CUDA implementation
  bool ok = false;                 ///< true when at least one usable device was found
  std::string error;               ///< empty when ok; otherwise cause + what to install or check
  std::vector<DeviceInfo> devices; ///< empty unless ok
};

/// Lists the CUDA devices visible to this process. Never throws.
/// ok=false when built without CUDA, when no (or a too old) NVIDIA driver is present, or when the
/// driver sees no device.
DeviceQuery query_devices();

/// Result of run_fma_burn().
struct BurnResult {
  bool ok = false;
  std::string error;               ///< empty when ok
  double seconds = 0.0;            ///< wall time the kernels actually ran (first launch to last sync), s
  double tflops_fp32 = 0.0;        ///< achieved FP32 rate: 2 FLOP per FMA executed / seconds / 1e12
};

/// Runs an FP32 FMA-bound kernel on `device` for about `seconds` of wall time: the calibration load
/// for the compute phase of a training step. Kernels are launched back to back until the requested
/// time has elapsed, so the run ends at a kernel boundary at or a little after `seconds`.
/// The rate is counted from the FMAs actually executed (every thread runs a fixed, known count),
/// not assumed from a datasheet. Never throws; ok=false with an error without CUDA, without a
/// device, for a bad device index, or for seconds that are not finite and > 0.
BurnResult run_fma_burn(int device, double seconds);

}  // namespace dctwin::gpu
