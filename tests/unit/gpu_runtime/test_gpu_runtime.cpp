// Tests of gpu_runtime/device_info.h. They pass on a machine without CUDA or without a GPU: there
// the GPU-only case reports "skipped: <reason>" (visible with doctest's -s or in the failure-free
// MESSAGE output) instead of pretending to measure anything.
#include <doctest/doctest.h>

#include "gpu_runtime/device_info.h"

#include <cmath>
#include <string>

#ifndef DCTWIN_WITH_CUDA
#define DCTWIN_WITH_CUDA 0
#endif

using namespace dctwin::gpu;

TEST_CASE("gpu_runtime: query_devices never throws and reports consistently") {
  DeviceQuery q;
  CHECK_NOTHROW(q = query_devices());
  CHECK(q.built_with_cuda == static_cast<bool>(DCTWIN_WITH_CUDA));
  if (q.ok) {
    CHECK(q.error.empty());
    REQUIRE_FALSE(q.devices.empty());
    for (std::size_t i = 0; i < q.devices.size(); ++i) {
      const DeviceInfo& d = q.devices[i];
      CHECK(d.index == static_cast<int>(i));
      CHECK_FALSE(d.name.empty());
      CHECK(d.cc_major > 0);
      CHECK(d.memory_bytes > 0);
      CHECK(d.sm_count > 0);
      CHECK(d.sm_clock_khz > 0);
    }
  } else {
    CHECK_FALSE(q.error.empty());
    CHECK(q.devices.empty());
    MESSAGE("no usable GPU: " << q.error);
  }
}

TEST_CASE("gpu_runtime: built without CUDA says to install the toolkit") {
  const DeviceQuery q = query_devices();
  if (q.built_with_cuda) {
    MESSAGE("skipped: this build has CUDA");
    return;
  }
  CHECK_FALSE(q.ok);
  CHECK(q.error.find("built without CUDA") != std::string::npos);
  CHECK(q.error.find("CUDA Toolkit") != std::string::npos);
  const BurnResult b = run_fma_burn(0, 0.1);
  CHECK_FALSE(b.ok);
  CHECK(b.error == q.error);
  CHECK(b.tflops_fp32 == 0.0);
}

TEST_CASE("gpu_runtime: without a usable device the error names the driver") {
  const DeviceQuery q = query_devices();
  if (!q.built_with_cuda || q.ok) {
    const std::string why = q.built_with_cuda ? "a GPU is present" : "built without CUDA";
    MESSAGE("skipped: " << why);
    return;
  }
  CHECK(q.error.find("NVIDIA") != std::string::npos);
  CHECK(q.error.find("driver") != std::string::npos);
  const BurnResult b = run_fma_burn(0, 0.1);
  CHECK_FALSE(b.ok);
  CHECK_FALSE(b.error.empty());
}

TEST_CASE("gpu_runtime: fma burn rejects bad arguments without throwing") {
  BurnResult b;
  CHECK_NOTHROW(b = run_fma_burn(-1, 1.0));
  CHECK_FALSE(b.ok);
  CHECK_NOTHROW(b = run_fma_burn(0, std::nan("")));
  CHECK_FALSE(b.ok);
  CHECK_NOTHROW(b = run_fma_burn(0, 0.0));
  CHECK_FALSE(b.ok);
  CHECK_NOTHROW(b = run_fma_burn(1 << 20, 0.1));
  CHECK_FALSE(b.ok);
}

TEST_CASE("[gpu] gpu_runtime: FP32 FMA burn runs 2 s and reaches > 1 TFLOP/s") {
  const DeviceQuery q = query_devices();
  if (!q.ok) {
    MESSAGE("skipped: no usable GPU (" << q.error << ")");
    return;
  }
  const BurnResult b = run_fma_burn(0, 2.0);
  INFO("error: " << b.error);
  REQUIRE(b.ok);
  CHECK(b.error.empty());
  CHECK(b.seconds >= 2.0);
  CHECK(b.seconds < 3.0);
  CHECK(b.tflops_fp32 > 1.0);
  MESSAGE(q.devices[0].name << ": " << b.tflops_fp32 << " TFLOP/s FP32 over " << b.seconds << " s");
}
