// Parsing and dispatch shared by the dctwin binaries (cli/main.cpp, cli/gpu_tool/main.cpp): the
// exit-code contract (docs/design.md) in one place.
// Exit codes: 0 success; 2 bad input (one line per problem); 3 missing environment piece;
// 4 a conservation check failed; 1 an unexpected internal error.
#include <iostream>
#include <string>
#include <vector>

#include "cli/common.h"
#include "sim/run.h"
#include "core/atomic_file.h"

namespace dctwin::cli {

namespace {

// The arguments after the program name, with the deprecated `--output` spelled `--out` (one notice
// on stderr): every command's output option is -o/--out; scripts written for --output keep working.
std::vector<std::string> arguments(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> args;
  bool noticed = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--output" || a.rfind("--output=", 0) == 0) {
      a = "--out" + a.substr(8);
      if (!noticed) std::cerr << app.get_name() << ": --output is deprecated; use -o/--out (same meaning)\n";
      noticed = true;
    }
    args.push_back(a);
  }
  return args;
}

// The first argument that is not an option must name a command: else one line with the closest
// command name (edit distance), or the list of commands.
bool unknown_command(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  for (const auto& a : args) {
    if (a.empty() || a[0] == '-') continue;
    for (const auto& n : names)
      if (n == a) return false;
    const std::string hint = closest_match(a, names);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    std::cerr << app.get_name() << ": unknown command \"" << a << "\"; "
              << (hint.empty() ? "the commands are " + list : "did you mean \"" + hint + "\"?") << " (see "
              << app.get_name() << " --help)\n";
    return true;
  }
  return false;
}

// An empty list's captured default ("[]") says nothing: --help shows none for it.
void hide_empty_list_defaults(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for (CLI::Option* o : sub->get_options())
      if (o->get_default_str() == "[]") o->default_str("");
}

}  // namespace

int run_commands(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv) {
  hide_empty_list_defaults(app);
  std::vector<std::string> args = arguments(app, argc, argv);
  if (unknown_command(app, args)) return 2;
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    app.parse(reversed);
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
    return print_input_problems(e, "nothing was run");
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
