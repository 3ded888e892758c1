// dctwin profiles: the built-in GPU device profiles.
#include <cstdio>

#include "cli/common.h"
#include "sim/input/gpu_profile.h"

namespace dctwin::cli {

Command add_profiles_command(CLI::App& app) {
  auto* sub = app.add_subcommand("profiles", "List the built-in GPU device profiles");
  sub->footer("Writes no files.\n");
  return {sub, [] {
            for (const auto& name : builtin_profile_names()) {
              const auto g = load_builtin_profile(name);
              std::printf("%-10s TDP %5.0f W  idle %4.0f W  %5.0f GB  %6.0f TFLOP/s BF16 dense  %s\n", name.c_str(),
                          g.tdp_w, g.idle_w, g.memory_gb, g.peak_dense_bf16_tflops, g.description.c_str());
            }
            return 0;
          }};
}

}  // namespace dctwin::cli
