// Helpers shared by the sim/ and CLI tests: paths of the repository's files, loading
// tests/data/tiny.json with `--set` style overrides, temporary folders.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "sim/input/scenario_loader.h"

namespace dctwin::test {

inline std::string source_path(const std::string& rel) { return std::string(DCTWIN_SOURCE_DIR) + "/" + rel; }
inline std::string tiny_path() { return source_path("tests/data/tiny.json"); }

inline Scenario load_tiny(std::vector<std::string> overrides = {}) {
  LoadOptions lo;
  lo.overrides = std::move(overrides);
  return load_scenario_file(tiny_path(), lo);
}

// tests/data/tiny-cooling.json (tiny.json with a cooling block) with overrides.
inline Scenario load_tiny_cooling(std::vector<std::string> overrides = {}) {
  LoadOptions lo;
  lo.overrides = std::move(overrides);
  return load_scenario_file(source_path("tests/data/tiny-cooling.json"), lo);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A fresh, empty folder under the system temporary folder, removed when the object goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("dctwin-test-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The shipped scenarios, scenarios/*.json, sorted by name; sweep files (scenarios/sweep-*.json) are not scenarios.
inline std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(source_path("scenarios")))
    if (e.is_regular_file() && e.path().extension() == ".json" && e.path().filename().string().rfind("sweep-", 0) != 0)
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// A string quoted for the POSIX shell.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs the built dctwin binary with `args`; stdout and stderr together, and the exit code
// (-1 when it did not exit normally or could not start).
struct CliRun {
  int code = -1;
  std::string out;
};
// Runs a shell command line the same way (e.g. dctwin under mpirun).
inline CliRun run_shell(const std::string& command) {
  CliRun r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  if (WIFEXITED(status)) r.code = WEXITSTATUS(status);
  return r;
}
inline CliRun run_cli(const std::string& args) { return run_shell(shell_quote(DCTWIN_CLI_PATH) + " " + args); }

}  // namespace dctwin::test
