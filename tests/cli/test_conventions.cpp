// The command-line conventions every command follows: one output option (-o/--out; --output a
// hidden, deprecated spelling), defaults and written files shown in --help, a "did you mean" for a
// misspelled command, no nan or inf in any table or file the tool writes or prints, an error from
// --weather naming the option, and whatif's kept runs and value types.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "tests/support.h"

namespace dctwin {
namespace {

namespace fs = std::filesystem;

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

test::CliRun cli(const std::string& args) {
  const test::CliRun r = test::run_cli(args);
  REQUIRE(r.code >= 0);
  return r;
}

std::string q(const std::string& s) { return test::shell_quote(s); }

// Every command that writes something, with the files its --help names.
struct Writer {
  const char* command;
  const char* value_name;  // DIR or FILE
  std::vector<std::string> files;
};
const std::vector<Writer>& writers() {
  static const std::vector<Writer> w = {
      {"run", "DIR", {"summary.json", "timeseries.csv", "racks.csv", "cooling.csv", "storage.csv", "grid_events.csv", "report.html"}},
      {"ride-through", "DIR", {"ride_through.csv"}},
      {"flex", "DIR", {"flex.csv", "flex.json"}},
      {"report", "FILE", {"report.html"}},
      {"size", "DIR", {"sizing.json"}},
      {"sweep", "DIR", {"sweep.csv", "sweep.json"}},
      {"whatif", "DIR", {"whatif.csv", "whatif.json", "runs/<case>/"}},
      {"gpu-trace", "FILE", {}},
      {"calibrate", "FILE", {".fit.json"}},
      {"flicker", "DIR", {"flicker.json"}},
      {"comply", "DIR", {"compliance.json"}},
  };
  return w;
}

// A cell or word "nan" / "inf" (any case, signed) in text the tool wrote or printed.
bool has_non_finite(const std::string& text, std::string& where) {
  static const std::regex bad(R"((^|[\s,;:=(\[])[-+]?(nan|inf|infinity)($|[\s,;)\]%]))", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(text, m, bad)) return false;
  const auto at = static_cast<std::size_t>(m.position(0));
  where = text.substr(at > 60 ? at - 60 : 0, 120);
  return true;
}

}  // namespace

TEST_CASE("conventions: every command's output option is -o/--out, its help says DIR or FILE and the files written") {
  for (const auto& w : writers()) {
    CAPTURE(w.command);
    const auto r = cli(std::string(w.command) + " --help");
    CHECK(r.code == 0);
    CHECK(has(r.out, std::string("-o,--out ") + w.value_name));
    CHECK_FALSE(has(r.out, "--output"));  // the deprecated spelling is not shown
    for (const auto& f : w.files) {
      CAPTURE(f);
      CHECK(has(r.out, f));
    }
  }
  // Commands that write nothing say so.
  for (const char* c : {"validate", "profiles", "gpu-info"}) {
    CAPTURE(c);
    const auto r = cli(std::string(c) + " --help");
    CHECK(r.code == 0);
    CHECK_FALSE(has(r.out, "--out"));
    CHECK(has(r.out, "Writes no files."));
  }
}

TEST_CASE("conventions: --output still works, with a one-line notice") {
  test::TempDir d("conv-output");
  const auto r = cli("run " + q(test::tiny_path()) + " --no-report --duration-s 5 --output " + q(d.file("out")));
  CHECK(r.code == 0);
  CHECK(has(r.out, "--output is deprecated; use -o/--out"));
  CHECK(fs::exists(d.file("out") + "/summary.json"));
  const auto e = cli("run " + q(test::tiny_path()) + " --no-report --duration-s 5 --output=" + q(d.file("eq")));
  CHECK(e.code == 0);
  CHECK(fs::exists(d.file("eq") + "/summary.json"));
}

TEST_CASE("conventions: every --help shows the defaults") {
  struct Expect {
    const char* command;
    std::vector<std::string> shown;
  };
  const std::vector<Expect> expect = {
      {"run", {"DIR=results/run"}},
      {"size", {"DIR=results/size", "=nameplate", "--sim-margin-pct FLOAT=10", "--sim-duration-s FLOAT=300"}},
      {"sweep", {"DIR=results/sweep"}},
      {"whatif", {"DIR=results/whatif"}},
      {"report", {"=utility", "--margin-pct FLOAT=10", "FLOAT=0.1", "--band-hi-hz FLOAT=20"}},
      {"gpu-trace", {"--duration-s FLOAT=60", "--sample-hz FLOAT=50", "=h200-sxm", "--power-limit-w FLOAT=0"}},
      {"calibrate", {"=auto", "--dcgm-delay-ms FLOAT=1000"}},
  };
  for (const auto& e : expect) {
    CAPTURE(e.command);
    const auto r = cli(std::string(e.command) + " --help");
    CHECK(r.code == 0);
    for (const auto& s : e.shown) {
      CAPTURE(s);
      CHECK(has(r.out, s));
    }
  }
  // --jobs shows the number of threads it defaults to, not a placeholder 0.
  const auto s = cli("sweep --help");
  CHECK(std::regex_search(s.out, std::regex(R"(--jobs UINT[^\n]*=[1-9][0-9]*\n)")));
  // An empty list has no default to show ("=[]" says nothing).
  CHECK_FALSE(has(cli("run --help").out, "=[]"));
}

TEST_CASE("conventions: a misspelled command gets a did-you-mean, exit 2") {
  const auto r = cli("runn " + q(test::tiny_path()));
  CHECK(r.code == 2);
  CHECK(has(r.out, "unknown command \"runn\"; did you mean \"run\"?"));
  CHECK(cli("wahtif x").code == 2);
  CHECK(has(cli("wahtif x").out, "did you mean \"whatif\"?"));
  CHECK(has(cli("szie").out, "did you mean \"size\"?"));
  const auto far = cli("xyzzyplugh");
  CHECK(far.code == 2);
  CHECK(has(far.out, "the commands are run, validate"));
  // A real command with a bad option is not a misspelled command.
  CHECK_FALSE(has(cli("run --nosuch").out, "unknown command"));
}

TEST_CASE("conventions: no nan or inf in any file or table of a run, a whatif and a sweep") {
  test::TempDir d("conv-nan");
  const std::string cooled = test::source_path("tests/data/tiny-cooling.json");
  std::vector<std::string> printed;
  auto ok = [&printed](const std::string& args) {
    const auto r = cli(args);
    CAPTURE(args);
    CAPTURE(r.out);
    CHECK(r.code == 0);
    printed.push_back(r.out);
  };
  ok("run " + q(test::tiny_path()) + " --no-report --duration-s 5 -o " + q(d.file("plain")));
  ok("run " + q(cooled) + " --no-report --duration-s 30 -o " + q(d.file("cooled")));
  // Without cooling a whatif has no PUE, WUE or cooling figures: empty cells and n/a, never nan.
  ok("whatif " + q(test::tiny_path()) + " --vary simulation.seed=1,2 --duration-s 5 --keep-runs -o " + q(d.file("whatif")));
  ok("whatif " + q(cooled) + " --vary cooling.facility_water.supply_c=14,20 --duration-s 30 -o " + q(d.file("whatif-cooled")));
  json sweep = {{"base", test::tiny_path()},
                {"set", {{"simulation.duration_s", 5}}},
                {"grid", {{"simulation.seed", {1, 2}}}}};
  test::write_file(d.file("sweep.json"), sweep.dump());
  ok("sweep " + q(d.file("sweep.json")) + " --jobs 1 -o " + q(d.file("sweep")));
  // The plant's rows of a sizing have no failover load: n/a in the table, null in sizing.json.
  ok("size " + q(cooled) + " -o " + q(d.file("size")));
  CHECK(has(printed.back(), "n/a"));
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(d.str())) {
    if (!e.is_regular_file() || e.path().filename() == "sweep.json") continue;
    ++files;
    std::string where;
    const bool bad = has_non_finite(test::read_file(e.path().string()), where);
    CAPTURE(e.path().string());
    CAPTURE(where);
    CHECK_FALSE(bad);
  }
  CHECK(files >= 12);  // the runs' files, the kept whatif runs, the tables
  for (const auto& out : printed) {
    std::string where;
    const bool bad = has_non_finite(out, where);
    CAPTURE(where);
    CHECK_FALSE(bad);
  }
  // The scan itself finds what it looks for.
  std::string where;
  CHECK(has_non_finite("case,pue\n0,nan\n", where));
  CHECK(has_non_finite("PUE / WUE           -nan / 0.1 L/kWh", where));
  CHECK(has_non_finite("x,INF\n", where));
  CHECK_FALSE(has_non_finite("information, financial, infinite-loop guard", where));
}

TEST_CASE("conventions: an error from --weather names the option and the file") {
  test::TempDir d("conv-weather");
  const std::string cooled = test::source_path("tests/data/tiny-cooling.json");
  test::write_file(d.file("bad.epw"), "not,an,epw\n");
  const std::string bad = d.file("bad.epw");
  for (const std::string& cmd : {"whatif " + q(cooled) + " --vary simulation.seed=1,2 -o " + q(d.file("w")),
                                 "size " + q(cooled) + " -o " + q(d.file("s"))}) {
    CAPTURE(cmd);
    const auto r = cli(cmd + " --weather " + q(bad));
    CAPTURE(r.out);
    CHECK(r.code == 2);
    CHECK(has(r.out, "--weather " + bad + ": "));
    CHECK_FALSE(has(r.out, "$.cooling.weather"));
  }
  const auto missing = cli("whatif " + q(cooled) + " --vary simulation.seed=1 -o " + q(d.file("w")) + " --weather " + q(d.file("none.epw")));
  CHECK(missing.code == 2);
  CHECK(has(missing.out, "--weather " + d.file("none.epw") + ": "));
}

TEST_CASE("conventions: whatif --keep-runs writes each case's run, whatif.json names it and keeps the values' JSON types") {
  test::TempDir d("conv-keep");
  const auto r = cli("whatif " + q(test::tiny_path()) +
                     " --vary simulation.seed=3,4 --vary campus.halls.0.lineups.ups.mode=double_conversion --duration-s 5 "
                     "--dt-s 0.5 --keep-runs -o " + q(d.str()));
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "simulated"));  // progress on stderr
  const json doc = json::parse(test::read_file(d.file("whatif.json")));
  REQUIRE(doc["cases"].size() == 2);
  for (std::size_t c = 0; c < 2; ++c) {
    const json& row = doc["cases"][c];
    CHECK(row["run_dir"] == "runs/" + std::to_string(c));
    CHECK(row["simulation.seed"].is_number_integer());
    CHECK(row["simulation.seed"] == 3 + static_cast<int>(c));
    CHECK(row["campus.halls.0.lineups.ups.mode"] == "double_conversion");
    const std::string run = d.file("runs/" + std::to_string(c));
    REQUIRE(fs::exists(run + "/summary.json"));
    const json s = json::parse(test::read_file(run + "/summary.json"));
    CHECK(s["output_step_s"] == 0.5);  // --dt-s reached the case
  }
  CHECK(has(test::read_file(d.file("whatif.csv")), ",run_dir\n"));
  // Without --keep-runs: no runs folder, no run_dir.
  test::TempDir e("conv-nokeep");
  REQUIRE(cli("whatif " + q(test::tiny_path()) + " --vary simulation.seed=3 --duration-s 5 -o " + q(e.str())).code == 0);
  CHECK_FALSE(fs::exists(e.file("runs")));
  CHECK_FALSE(json::parse(test::read_file(e.file("whatif.json")))["cases"][0].contains("run_dir"));
}

TEST_CASE("conventions: whatif says which output step fits a period too long for it") {
  test::TempDir d("conv-step");
  const auto r = cli("whatif " + q(test::tiny_path()) + " --vary simulation.seed=1 --duration-s 20000000 --dt-s 0.1 -o " + q(d.str()));
  CHECK(r.code == 2);
  CHECK(has(r.out, "--dt-s: value: expected an output step"));
  CHECK(has(r.out, "--dt-s 0.5 or more"));
}

}  // namespace dctwin
