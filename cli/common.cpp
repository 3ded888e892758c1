#include "cli/common.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace dctwin::cli {

void ScenarioArgs::add_to(CLI::App* app, bool required) {
  auto* opt = app->add_option("scenario", path,
                              required ? "Scenario JSON file"
                                       : "Scenario JSON file (default: embedded scenarios/mai1-15k-h100.json)");
  if (required) opt->required();
  app->add_option("--set", sets, "Override a scenario value: path.to.key=value (repeatable)");
}

std::string figure_text(const char* format, std::optional<double> v, int width) {
  char buf[64] = "n/a";
  if (v && std::isfinite(*v)) std::snprintf(buf, sizeof buf, format, *v);
  if (width <= 0) return buf;
  char padded[96];
  std::snprintf(padded, sizeof padded, "%*s", width, buf);
  return padded;
}

Scenario ScenarioArgs::load() const { return load_scenario(path, LoadOptions{sets}); }

Progress::Progress() : tty_(isatty(fileno(stderr)) != 0) {}

void Progress::clear_line() {
  if (tty_) std::fprintf(stderr, "\r%*s\r", 48, "");
}

void Progress::operator()(double f) {
  if (finished_) return;
  finished_ = f >= 1.0;
  if (tty_) {
    const int width = 40, filled = static_cast<int>(f * width);
    std::fprintf(stderr, "\r[%s%s] %3.0f%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), f * 100);
    if (f >= 1.0) std::fprintf(stderr, "\n");
  } else {
    const int q = static_cast<int>(f * 4);
    if (q > last_quarter_) {
      last_quarter_ = q;
      std::fprintf(stderr, "dctwin: %3.0f%% simulated\n", q * 25.0);
    }
  }
}

}  // namespace dctwin::cli
