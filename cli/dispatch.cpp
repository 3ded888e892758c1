// Parsing and dispatch shared by the dctwin binaries (cli/main.cpp, cli/gpu_tool/main.cpp): the
// exit-code contract (docs/design.md) in one place.
// Exit codes: 0 success; 2 bad input (one line per problem); 3 missing environment piece;
// 4 a conservation check failed; 1 an unexpected internal error.
#include <iostream>

#include "cli/common.h"
#include "sim/run.h"
#include "core/atomic_file.h"

namespace dctwin::cli {

int run_commands(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << app.get_name() << ": command line: " << e.what() << " (see " << app.get_name() << " --help)\n";
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
    std::cerr << app.get_name() << ": " << e.what() << "\n";
    return 3;
  } catch (const ConservationError& e) {
    std::cerr << app.get_name() << ": conservation check failed: " << e.what() << "\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << app.get_name() << ": internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace dctwin::cli
