#include "models/power/gpu.h"

namespace dctwin::power {
namespace {
constexpr std::array<const char*, kGpuPhaseCount> kNames{"idle", "compute", "communication",
                                                         "optimizer", "checkpoint"};
}  // namespace

const char* to_string(GpuPhase phase) { return kNames[static_cast<std::size_t>(phase)]; }

std::optional<GpuPhase> gpu_phase_from_string(std::string_view text) {
  for (int i = 0; i < kGpuPhaseCount; ++i)
    if (text == kNames[static_cast<std::size_t>(i)]) return static_cast<GpuPhase>(i);
  return std::nullopt;
}

double gpu_power_w(const GpuProfile& g, GpuPhase phase) {
  return g.phase_power_w[static_cast<std::size_t>(phase)];
}

}  // namespace dctwin::power
