#include <doctest/doctest.h>

#include <string>

#include "models/power/gpu.h"

using namespace dctwin::power;

TEST_CASE("gpu: phase names") {
  CHECK(std::string(to_string(GpuPhase::Idle)) == "idle");
  CHECK(std::string(to_string(GpuPhase::Compute)) == "compute");
  CHECK(std::string(to_string(GpuPhase::Communication)) == "communication");
  CHECK(std::string(to_string(GpuPhase::Optimizer)) == "optimizer");
  CHECK(std::string(to_string(GpuPhase::Checkpoint)) == "checkpoint");
  CHECK(static_cast<int>(GpuPhase::Checkpoint) == kGpuPhaseCount - 1);
}

TEST_CASE("gpu: phase from string round-trips and rejects anything else") {
  for (int i = 0; i < kGpuPhaseCount; ++i) {
    const auto phase = static_cast<GpuPhase>(i);
    const auto parsed = gpu_phase_from_string(to_string(phase));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == phase);
  }
  CHECK_FALSE(gpu_phase_from_string("Compute").has_value());
  CHECK_FALSE(gpu_phase_from_string("compute ").has_value());
  CHECK_FALSE(gpu_phase_from_string("comm").has_value());
  CHECK_FALSE(gpu_phase_from_string("").has_value());
}

TEST_CASE("gpu: power per phase comes from the profile's own slot") {
  // Distinct test values (not a device profile) so a wrong index would be caught.
  GpuProfile g;
  g.name = "test-gpu";
  g.tdp_w = 700.0;
  g.phase_power_w = {71.0, 702.0, 123.0, 404.0, 155.0};  // idle, compute, comm, optimizer, ckpt
  CHECK(gpu_power_w(g, GpuPhase::Idle) == 71.0);
  CHECK(gpu_power_w(g, GpuPhase::Compute) == 702.0);
  CHECK(gpu_power_w(g, GpuPhase::Communication) == 123.0);
  CHECK(gpu_power_w(g, GpuPhase::Optimizer) == 404.0);
  CHECK(gpu_power_w(g, GpuPhase::Checkpoint) == 155.0);  // above tdp would be returned as given too
}

TEST_CASE("gpu: default profile is zeroed") {
  const GpuProfile g;
  for (int i = 0; i < kGpuPhaseCount; ++i) CHECK(gpu_power_w(g, static_cast<GpuPhase>(i)) == 0.0);
  CHECK(g.sources.empty());
}
