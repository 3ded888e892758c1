// Security: dctwin's own code never starts a shell (so no scenario string can reach one)
// and never opens a network connection. Chromium for --pdf is started with posix_spawn and an
// argument vector (viz/pdf.cpp), never through a shell. Checked on the sources, so a new
// call fails here and must be argued for.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "tests/support.h"

TEST_CASE("no shell and no network calls in dctwin's sources") {
  namespace fs = std::filesystem;
  const std::regex banned(R"((^|[^_A-Za-z0-9.>:])(system|popen|execl|execlp|execle|execv|execvp|socket|connect|getaddrinfo|gethostbyname|curl_easy_init)\()");
  int files = 0;
  for (const char* dir : {"cli", "sim", "models", "viz", "gpu_runtime"}) {
    for (const auto& e : fs::recursive_directory_iterator(dctwin::test::source_path(dir))) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".h" && ext != ".cu")) continue;
      if (e.path().string().find("node_modules") != std::string::npos) continue;
      ++files;
      const std::string text = dctwin::test::read_file(e.path().string());
      std::smatch m;
      CHECK_MESSAGE(!std::regex_search(text, m, banned), e.path().string() << ": " << m.str());
    }
  }
  CHECK(files > 50);
}
