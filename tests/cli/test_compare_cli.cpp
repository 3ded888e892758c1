// dctwin compare: two runs of a short scenario that differ by one --set, a whatif folder, the
// default output path in --help, and bad input (exit 2, one line per problem, nothing written).
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <sstream>

#include "core/json_reader.h"
#include "tests/support.h"

using dctwin::json;
namespace test = dctwin::test;

namespace {

std::string q(const std::string& s) { return test::shell_quote(s); }

std::size_t lines_with(const std::string& out, const std::string& what) {
  std::istringstream in(out);
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);) n += l.find(what) != std::string::npos;
  return n;
}

std::string line_with(const std::string& out, const std::string& what) {
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);)
    if (l.find(what) != std::string::npos) return l;
  return "";
}

}  // namespace

TEST_CASE("cli: compare two runs that differ by one --set") {
  test::TempDir dir("cli-compare");
  const std::string scenario = q(test::source_path("tests/data/tiny-cooling.json"));
  REQUIRE(test::run_cli("run " + scenario + " -o " + q(dir.file("one")) + " --no-report --duration-s 60").code == 0);
  REQUIRE(test::run_cli("run " + scenario + " -o " + q(dir.file("two")) + " --no-report --duration-s 60 --set jobs.0.gpus=2").code == 0);
  const std::string html = dir.file("cmp.html");
  const test::CliRun r = test::run_cli("compare " + q(dir.file("one")) + " " + q(dir.file("two")) + " -o " + q(html));
  INFO(r.out);
  if (r.code == 3) {  // a build without ECharts: said, nothing written
    CHECK(r.out.find("npm ci --prefix viz") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(html));
    return;
  }
  REQUIRE(r.code == 0);
  // The terminal table: the second run against the first, with the % of the peak worked out here.
  const json a = json::parse(test::read_file(dir.file("one/summary.json")));
  const json b = json::parse(test::read_file(dir.file("two/summary.json")));
  const double pa = a["peak_facility_mw"].get<double>(), pb = b["peak_facility_mw"].get<double>();
  REQUIRE(pb > pa);  // a second GPU in the job draws more
  char pct[32];
  std::snprintf(pct, sizeof pct, "(%+.1f %%)", 100 * (pb - pa) / pa);
  CHECK(lines_with(r.out, "two (vs one)") == 1);
  CHECK(lines_with(r.out, "peak facility power") == 1);
  CHECK(line_with(r.out, "peak facility power").find(pct) != std::string::npos);
  CHECK(lines_with(r.out, "max GPU junction") == 1);  // null in both: not modelled, never 0
  CHECK(r.out.find("not modelled") != std::string::npos);
  CHECK_FALSE(std::regex_search(r.out, std::regex("\\bnan\\b", std::regex::icase)));
  const std::string page = test::read_file(html);
  CHECK(page.find("id=\"chart-facility\"") != std::string::npos);
  CHECK(page.find("id=\"chart-pue\"") != std::string::npos);  // tiny-cooling writes cooling.csv
  CHECK(page.find("<script id=\"dctwin-data\"") != std::string::npos);

  // Different durations: said, and aligned on t_s.
  REQUIRE(test::run_cli("run " + scenario + " -o " + q(dir.file("long")) + " --no-report --duration-s 90").code == 0);
  const test::CliRun d = test::run_cli("compare " + q(dir.file("one")) + " " + q(dir.file("long")) + " -o " + q(dir.file("d.html")));
  REQUIRE(d.code == 0);
  CHECK(test::read_file(dir.file("d.html")).find("differ in their durations") != std::string::npos);
}

TEST_CASE("cli: compare a whatif folder writes DIR/compare.html") {
  test::TempDir dir("cli-compare-whatif");
  const std::string scenario = q(test::source_path("tests/data/tiny-cooling.json"));
  REQUIRE(test::run_cli("whatif " + scenario + " -o " + q(dir.str()) + " --duration-s 30 --vary jobs.0.gpus=1,2").code == 0);
  const test::CliRun r = test::run_cli("compare " + q(dir.str()));
  INFO(r.out);
  if (r.code == 3) return;  // no ECharts in this build (checked above)
  REQUIRE(r.code == 0);
  CHECK(lines_with(r.out, "case 1: jobs.0.gpus=2") == 1);
  CHECK(lines_with(r.out, "case 1 (vs case 0)") == 1);
  const std::string page = test::read_file(dir.file("compare.html"));
  CHECK(page.find("whatif study, 2 cases") != std::string::npos);
  CHECK(page.find("id=\"chart-case-0\"") != std::string::npos);
}

TEST_CASE("cli: compare --help shows the default output, and bad input exits 2 with one line per problem") {
  const test::CliRun h = test::run_cli("compare --help");
  CHECK(h.code == 0);
  CHECK(h.out.find("-o,--out") != std::string::npos);
  CHECK(h.out.find("default: compare.html") != std::string::npos);

  test::TempDir dir("cli-compare-bad");
  std::filesystem::create_directories(dir.file("empty"));
  std::filesystem::create_directories(dir.file("broken"));
  test::write_file(dir.file("broken/summary.json"), "{\"scenario\": ");
  test::write_file(dir.file("broken/timeseries.csv"), "t_s,facility_mw\n0,1\n");
  const test::CliRun r = test::run_cli("compare " + q(dir.file("nowhere")) + " " + q(dir.file("empty")) + " " + q(dir.file("broken")) +
                                       " -o " + q(dir.file("x.html")));
  INFO(r.out);
  CHECK(r.code == 2);
  CHECK(lines_with(r.out, dir.file("nowhere") + ": folder: expected a run folder") == 1);
  CHECK(lines_with(r.out, dir.file("empty") + ": folder: expected a run folder") == 1);
  CHECK(lines_with(r.out, dir.file("broken") + "/summary.json") == 1);
  CHECK(lines_with(r.out, "3 problems found; no comparison was written.") == 1);
  CHECK_FALSE(std::filesystem::exists(dir.file("x.html")));
  const test::CliRun one = test::run_cli("compare " + q(dir.file("empty")));
  CHECK(one.code == 2);
  CHECK(test::run_cli("compare").code == 2);
}
