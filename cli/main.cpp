// dctwin command line: parse, call the library, print. No physics here; one file per command
// (cli/cmd_*.cpp), registered below.
// Exit codes: 0 success; 2 bad input (one line per problem); 3 missing environment piece;
// 4 a conservation check failed; 1 an unexpected internal error.
#include <iostream>

#include "cli/common.h"
#include "sim/results.h"

int main(int argc, char** argv) {
  using namespace dctwin;
  CLI::App app{"dctwin: datacenter power and thermal twin for GPU campuses"};
  app.set_version_flag("--version", std::string("dctwin ") + DCTWIN_VERSION);
  app.require_subcommand(1);

  const std::vector<cli::Command> commands = {
      cli::add_run_command(app),
      cli::add_validate_command(app),
      cli::add_profiles_command(app),
      cli::add_gpu_info_command(app),
      cli::add_gpu_trace_command(app), cli::add_calibrate_command(app),
      cli::add_report_command(app),
      cli::add_whatif_command(app),
      cli::add_sweep_command(app),
      cli::add_size_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "dctwin: command line: " << e.what() << " (see dctwin --help)\n";
    return 2;
  }

  try {
    for (const auto& c : commands)
      if (c.app->parsed()) return c.run();
  } catch (const InputError& e) {
    for (const auto& p : e.problems().list()) std::cerr << p.str() << "\n";
    std::cerr << e.problems().size() << (e.problems().size() == 1 ? " problem" : " problems")
              << " found; nothing was run.\n";
    return 2;
  } catch (const EnvironmentError& e) {
    std::cerr << "dctwin: " << e.what() << "\n";
    return 3;
  } catch (const ConservationError& e) {
    std::cerr << "dctwin: conservation check failed: " << e.what() << "\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "dctwin: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
