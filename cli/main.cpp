// dctwin command line: parse, call the library, print. No physics here; one file per command
// (cli/cmd_*.cpp), registered below; parsing, dispatch and exit codes in cli/dispatch.cpp.
#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace dctwin;
  CLI::App app{"dctwin: datacenter power and thermal twin for GPU campuses", "dctwin"};
  app.set_version_flag("--version", std::string("dctwin ") + DCTWIN_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();  // every --help shows each option's default

  const std::vector<cli::Command> commands = {
      cli::add_run_command(app),
      cli::add_validate_command(app),
      cli::add_profiles_command(app),
      cli::add_gpu_info_command(app),
      cli::add_gpu_trace_command(app), cli::add_calibrate_command(app),
      cli::add_report_command(app),
      cli::add_compare_command(app),
      cli::add_whatif_command(app),
      cli::add_sweep_command(app),
      cli::add_size_command(app),
      cli::add_flicker_command(app),
      cli::add_comply_command(app),
      cli::add_ride_through_command(app),
      cli::add_flex_command(app),
  };
  return cli::run_commands(app, commands, argc, argv);
}
