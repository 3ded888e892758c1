// Shared pieces of the dctwin command line: scenario loading with --set, problem reporting,
// progress display and the command registry. No physics here.
#pragma once
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/input/scenario_loader.h"

namespace dctwin::cli {

// A registered subcommand runs its handler when it was given; the handler returns the exit code.
using Handler = std::function<int()>;
struct Command {
  CLI::App* app;
  Handler run;
};

// Options shared by every command that takes a scenario.
struct ScenarioArgs {
  std::string path;                // empty: the embedded default
  std::vector<std::string> sets;   // --set path=value
  void add_to(CLI::App* app, bool required);
  Scenario load() const;
};

// The output option of every command: -o/--out VALUE_NAME (DIR or FILE), its default shown in
// --help. The deprecated spelling --output is rewritten to --out before parsing (cli/dispatch.cpp).
// Inline: dctwin-gpu links the command files without common.cpp.
inline CLI::Option* add_out_option(CLI::App* app, std::string& out, const std::string& help, const char* value_name) {
  return app->add_option("-o,--out", out, help)->type_name(value_name)->capture_default_str();
}

// The thread count of the commands that run cases at once: --jobs N, 0 or unset for the hardware
// threads (its default shown in --help); thread_count gives the number to use.
inline unsigned thread_count(unsigned jobs) { return jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency()); }
inline CLI::Option* add_jobs_option(CLI::App* app, unsigned& jobs, const std::string& names, const std::string& help) {
  return app->add_option(names, jobs, help + " (default: the hardware threads)")
      ->check(CLI::Range(0u, 1024u))
      ->default_str(std::to_string(thread_count(0)));
}

// Bad input: one line per problem on stderr, then the count and what was not done ("nothing was
// run", "no report was written"); returns exit code 2. Inline for the same reason as above.
inline int print_input_problems(const InputError& e, const char* not_done) {
  for (const auto& p : e.problems().list()) std::fprintf(stderr, "%s\n", p.str().c_str());
  std::fprintf(stderr, "%zu %s found; %s.\n", e.problems().size(), e.problems().size() == 1 ? "problem" : "problems",
               not_done);
  return 2;
}

// A figure in a printed table: printf `format`, or "n/a" where there is none (absent, NaN or
// infinite); `width` > 0 right-aligns either in that many characters.
std::string figure_text(const char* format, std::optional<double> v, int width = 0);

// Progress on stderr: a bar when it is a terminal, a few plain lines when not.
class Progress {
 public:
  Progress();
  void operator()(double fraction);
  // Before other output on the terminal: erases the bar (it is drawn again at the next call).
  void clear_line();

 private:
  bool tty_;
  int last_quarter_ = -1;
  bool finished_ = false;  // 100 % drawn
};

// The commands, one file each (cli/cmd_*.cpp).
Command add_run_command(CLI::App& app);
Command add_validate_command(CLI::App& app);
Command add_profiles_command(CLI::App& app);
Command add_gpu_info_command(CLI::App& app);
Command add_gpu_trace_command(CLI::App&); Command add_calibrate_command(CLI::App&);
Command add_report_command(CLI::App& app);
Command add_compare_command(CLI::App& app);
Command add_whatif_command(CLI::App& app);
Command add_sweep_command(CLI::App& app);
Command add_size_command(CLI::App& app);
Command add_flicker_command(CLI::App& app);
Command add_comply_command(CLI::App& app);
Command add_ride_through_command(CLI::App& app);
Command add_flex_command(CLI::App& app);

// Parses the command line and runs the command given, mapping errors to the exit codes
// (cli/dispatch.cpp, docs/design.md); shared by `dctwin` and `dctwin-gpu`.
int run_commands(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv);

}  // namespace dctwin::cli
