#include "viz/pdf.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/problems.h"

extern char** environ;

namespace dctwin::viz {

std::string find_chromium() {
  namespace fs = std::filesystem;
  if (const char* e = std::getenv("DCTWIN_CHROMIUM"); e && *e) return fs::exists(e) ? e : "";
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  for (std::size_t a = 0; a <= p.size();) {
    std::size_t b = p.find(':', a);
    if (b == std::string::npos) b = p.size();
    const std::string d = p.substr(a, b - a);
    for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
      const fs::path cand = fs::path(d.empty() ? "." : d) / name;
      if (::access(cand.c_str(), X_OK) == 0) return cand.string();
    }
    a = b + 1;
  }
  return "";
}

std::string require_chromium() {
  std::string chromium = find_chromium();
  if (chromium.empty())
    throw EnvironmentError("--pdf needs Chromium to print the report and none was found (install it: apt-get install "
                           "chromium; or set DCTWIN_CHROMIUM to its path); nothing was written");
  return chromium;
}

std::string pdf_path_for(const std::string& html_path) {
  std::filesystem::path pdf(html_path);
  pdf.replace_extension(".pdf");
  return pdf.string();
}

std::vector<std::string> chromium_print_args(const std::string& chromium, const std::string& profile_dir,
                                             const std::string& html, const std::string& pdf) {
  return {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile_dir, "--no-pdf-header-footer", "--print-to-pdf=" + pdf,
          "file://" + std::filesystem::absolute(html).string()};
}

namespace {

// Runs Chromium headless to print `html` to `pdf` (stdout and stderr to /dev/null) with a fresh
// profile that is removed afterwards; returns its exit status (-1: not started).
int run_chromium(const std::string& chromium, const std::string& html, const std::string& pdf) {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/dctwin-chromium-XXXXXX";
  if (!::mkdtemp(tmpl)) return -1;
  const std::string profile = tmpl;
  std::vector<std::string> args = chromium_print_args(chromium, profile, html, pdf);
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int status = -1;
  if (posix_spawn(&pid, chromium.c_str(), &fa, nullptr, argv.data(), environ) == 0) {
    if (::waitpid(pid, &status, 0) == pid) status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&fa);
  std::error_code ec;
  fs::remove_all(profile, ec);
  return status;
}

}  // namespace

std::string print_pdf(const std::string& chromium, const std::string& html_path) {
  const std::string pdf = pdf_path_for(html_path);
  // Printed to a temporary file, renamed when complete: never half a PDF.
  const std::string tmp = pdf + ".tmp." + std::to_string(::getpid()) + ".pdf";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  const int rc = run_chromium(chromium, html_path, tmp);
  if (rc != 0 || !std::filesystem::exists(tmp)) {
    std::filesystem::remove(tmp, ec);
    throw EnvironmentError(chromium + " could not print " + html_path + " to PDF (exit status " + std::to_string(rc) + ")");
  }
  rename_atomic(tmp, pdf);
  return pdf;
}

}  // namespace dctwin::viz
