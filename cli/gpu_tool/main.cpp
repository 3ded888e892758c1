// dctwin-gpu: the GPU-host subset of the dctwin command line (gpu-info, gpu-trace, calibrate,
// profiles), the same command files as `dctwin`. It is linked so that it needs nothing but the C
// library at run time (libstdc++ and libgcc static; SimGrid, MPI and the simulator's other shared
// libraries are not needed by these commands and are dropped with --as-needed; NVML and cuBLASLt
// are loaded with dlopen). Built on a Debian 12 machine without a GPU, it can be copied to a GPU
// host that has only the NVIDIA driver and the CUDA Toolkit (gpu_runtime/calibrate_on_gpu.sh,
// DCTWIN_BIN). tests/CMakeLists.txt checks its dynamic dependencies.
#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace dctwin;
  CLI::App app{"dctwin-gpu: GPU traces and calibration (the GPU-host subset of dctwin)", "dctwin-gpu"};
  app.set_version_flag("--version", std::string("dctwin-gpu ") + DCTWIN_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();  // every --help shows each option's default
  const std::vector<cli::Command> commands = {
      cli::add_gpu_info_command(app),
      cli::add_gpu_trace_command(app),
      cli::add_calibrate_command(app),
      cli::add_profiles_command(app),
  };
  return cli::run_commands(app, commands, argc, argv);
}
