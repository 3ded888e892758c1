// gpu_runtime/nocuda/device_info_nocuda.cpp — the device_info.h implementation linked when dctwin
// is built without a CUDA compiler. It reports that honestly (ok=false, what to install) and never
// invents a device or a measurement.
#include "gpu_runtime/device_info.h"

namespace dctwin::gpu {

namespace {
constexpr const char* kNoCuda =
    "dctwin was built without CUDA: install the NVIDIA CUDA Toolkit (nvcc) and rebuild";
}

DeviceQuery query_devices() {
  DeviceQuery q;
  q.built_with_cuda = false;
  q.ok = false;
  q.error = kNoCuda;
  return q;
}

BurnResult run_fma_burn(int /*device*/, double /*seconds*/) {
  BurnResult r;
  r.ok = false;
  r.error = kNoCuda;
  return r;
}

}  // namespace dctwin::gpu
