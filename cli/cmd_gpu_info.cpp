// dctwin gpu-info: CUDA devices; exit 3 with what to install when there is no GPU or driver.
#include <cstdio>

#include "cli/common.h"
#include "gpu_runtime/device_info.h"
#include "core/problems.h"

namespace dctwin::cli {

Command add_gpu_info_command(CLI::App& app) {
  auto* sub = app.add_subcommand("gpu-info", "List CUDA devices (needs an NVIDIA GPU and driver)");
  sub->footer("Writes no files.\n");
  return {sub, [] {
            const auto q = gpu::query_devices();
            if (!q.ok) throw EnvironmentError(q.error);
            for (const auto& d : q.devices)
              std::printf("GPU %d: %s, compute capability %d.%d, %zu MiB, %d SMs\n", d.index, d.name.c_str(),
                          d.cc_major, d.cc_minor, d.memory_bytes >> 20, d.sm_count);
            return 0;
          }};
}

}  // namespace dctwin::cli
