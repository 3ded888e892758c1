// gpu_runtime/nocuda/training_step_nocuda.cpp — training_step.h without CUDA: reports it, fakes nothing.
#include "gpu_runtime/training_step.h"

namespace dctwin::gpu {

EmulatorResult run_training_emulator(const TrainingStepConfig& /*cfg*/, double /*duration_s*/, SteadyClock::time_point /*origin*/) {
  EmulatorResult r;
  r.error = "dctwin was built without CUDA: install the NVIDIA CUDA Toolkit (nvcc) and rebuild";
  return r;
}

}  // namespace dctwin::gpu
