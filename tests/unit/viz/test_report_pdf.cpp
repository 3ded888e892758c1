// Printing a report to PDF (viz/pdf.h) without Chromium: the command line built for it, where the
// PDF goes, how Chromium is found, and printing with a stand-in that writes the file (or fails).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "core/problems.h"
#include "tests/support.h"
#include "viz/pdf.h"

using namespace dctwin;
using namespace dctwin::viz;

namespace {
// Sets an environment variable (or unsets it: nullopt) for the scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// An executable shell script at `path`.
void write_script(const std::string& path, const std::string& body) {
  test::write_file(path, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
}

// A stand-in for Chromium: writes "%PDF" to the --print-to-pdf= file and exits 0.
const std::string kPrinter =
    "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) printf '%%PDF-stand-in' > \"${a#--print-to-pdf=}\";; esac; done\n";
}  // namespace

TEST_CASE("report pdf: the Chromium command line prints the file headless with a throw-away profile") {
  const auto args = chromium_print_args("/usr/bin/chromium", "/tmp/profile", "run/report.html", "run/report.pdf");
  REQUIRE(args.size() == 13);
  CHECK(args.front() == "/usr/bin/chromium");
  for (const char* flag : {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--no-pdf-header-footer", "--user-data-dir=/tmp/profile", "--print-to-pdf=run/report.pdf"})
    CHECK_MESSAGE(std::find(args.begin(), args.end(), flag) != args.end(), flag);
  CHECK(args.back() == "file://" + (std::filesystem::current_path() / "run/report.html").string());
  CHECK(chromium_print_args("c", "p", "/abs/r.html", "o.pdf").back() == "file:///abs/r.html");
}

TEST_CASE("report pdf: the PDF goes beside the HTML") {
  CHECK(pdf_path_for("run/report.html") == "run/report.pdf");
  CHECK(pdf_path_for("/a/b/report-cooling.html") == "/a/b/report-cooling.pdf");
  CHECK(pdf_path_for("report") == "report.pdf");
}

TEST_CASE("report pdf: Chromium from DCTWIN_CHROMIUM or the PATH") {
  test::TempDir dir("pdf-find");
  write_script(dir.file("chromium-browser"), "exit 0\n");
  test::write_file(dir.file("chromium"), "not executable");
  {
    ScopedEnv e("DCTWIN_CHROMIUM", dir.file("chromium-browser"));
    CHECK(find_chromium() == dir.file("chromium-browser"));
  }
  {
    ScopedEnv e("DCTWIN_CHROMIUM", dir.file("absent"));
    CHECK(find_chromium() == "");
    CHECK_THROWS_AS(require_chromium(), EnvironmentError);
    try {
      require_chromium();
    } catch (const EnvironmentError& err) {
      CHECK(std::string(err.what()).find("nothing was written") != std::string::npos);
    }
  }
  ScopedEnv no_override("DCTWIN_CHROMIUM", std::nullopt);
  {
    ScopedEnv path("PATH", "/nonexistent/dctwin:" + dir.str());
    CHECK(find_chromium() == dir.file("chromium-browser"));  // the non-executable `chromium` is passed over
  }
  {
    ScopedEnv path("PATH", "/nonexistent/dctwin");
    CHECK(find_chromium() == "");
  }
}

TEST_CASE("report pdf: printing renames a complete PDF into place, and a failure leaves none") {
  test::TempDir dir("pdf-print");
  const std::string html = dir.file("report.html");
  test::write_file(html, "<html></html>");
  write_script(dir.file("printer"), kPrinter);
  CHECK(print_pdf(dir.file("printer"), html) == dir.file("report.pdf"));
  CHECK(test::read_file(dir.file("report.pdf")) == "%PDF-stand-in");

  write_script(dir.file("failing"), "exit 5\n");
  std::filesystem::remove(dir.file("report.pdf"));
  try {
    print_pdf(dir.file("failing"), html);
    FAIL("expected an EnvironmentError");
  } catch (const EnvironmentError& e) {
    CHECK(std::string(e.what()).find("could not print " + html + " to PDF (exit status 5)") != std::string::npos);
  }
  // Exit 0 without a file is a failure too.
  write_script(dir.file("silent"), "exit 0\n");
  CHECK_THROWS_AS(print_pdf(dir.file("silent"), html), EnvironmentError);
  std::size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir.str())) files += f.path().extension() == ".pdf";
  CHECK(files == 0);  // no PDF and no temporary file left
}
