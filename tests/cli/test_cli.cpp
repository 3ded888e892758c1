// The dctwin binary: exit codes (0 ok, 2 bad input, 3 missing environment piece), one line per
// problem naming file and JSON path, and the summary.json / timeseries.csv contracts.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/json_reader.h"
#include "tests/support.h"

using dctwin::json;
namespace test = dctwin::test;

namespace {

struct Result {
  int code = -1;
  std::string out;  // stdout and stderr together
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }
};

std::string quote(const std::string& s) { return test::shell_quote(s); }

Result dctwin_cli(const std::string& args) {
  const test::CliRun run = test::run_cli(args);
  REQUIRE(run.code >= 0);
  Result r;
  r.code = run.code;
  r.out = run.out;
  return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

int count_lines_with(const Result& r, const std::string& part) {
  int n = 0;
  for (const auto& l : r.lines()) n += contains(l, part);
  return n;
}

// tiny.json with one text replacement, written to a temporary folder.
std::string tiny_variant(const test::TempDir& dir, const std::string& from, const std::string& to) {
  std::string text = test::read_file(test::tiny_path());
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  text.replace(pos, from.size(), to);
  const std::string path = dir.file("variant.json");
  test::write_file(path, text);
  return path;
}

json read_json(const std::string& path) { return json::parse(test::read_file(path)); }

}  // namespace

TEST_CASE("cli: validate accepts every shipped scenario and tiny.json") {
  auto files = test::shipped_scenarios();
  files.push_back(test::tiny_path());
  for (const auto& f : files) {
    CAPTURE(f);
    const Result r = dctwin_cli("validate " + quote(f));
    CHECK(r.code == 0);
    CHECK(contains(r.out, ": valid ("));
  }
}

TEST_CASE("cli: a misspelled key exits 2 with one line naming file, JSON path and a hint") {
  test::TempDir dir("cli-typo");
  const std::string path = tiny_variant(dir, "\"description\":", "\"descripton\":");
  const Result r = dctwin_cli("validate " + quote(path));
  CHECK(r.code == 2);
  REQUIRE(count_lines_with(r, path) == 1);
  for (const auto& l : r.lines())
    if (contains(l, path)) {
      CHECK(l.rfind(path + ": $.descripton: ", 0) == 0);  // file, then JSON path
      CHECK(contains(l, "did you mean \"description\"?"));
    }
  CHECK(contains(r.out, "1 problem found; nothing was run."));
  // `run` reports the same and does not run.
  const Result rr = dctwin_cli("run " + quote(path) + " -o " + quote(dir.file("out")));
  CHECK(rr.code == 2);
  CHECK_FALSE(std::filesystem::exists(dir.file("out/summary.json")));
}

TEST_CASE("cli: several problems give several lines") {
  const Result r = dctwin_cli("validate " + quote(test::tiny_path()) +
                              " --set simulation.duration_s=-1 --set campus.power_factor=2 --set jobs.0.kind=serving");
  CHECK(r.code == 2);
  CHECK(count_lines_with(r, test::tiny_path() + ": ") == 3);
  CHECK(count_lines_with(r, "$.simulation.duration_s") == 1);
  CHECK(count_lines_with(r, "$.campus.power_factor") == 1);
  CHECK(count_lines_with(r, "$.jobs[0].kind") == 1);
  CHECK(contains(r.out, "3 problems found"));
}

TEST_CASE("cli: a missing file exits 2") {
  const Result r = dctwin_cli("validate /nonexistent/scenario.json");
  CHECK(r.code == 2);
  CHECK(contains(r.out, "/nonexistent/scenario.json"));
  CHECK(contains(r.out, "no such file"));
  CHECK(dctwin_cli("run /nonexistent/scenario.json -o /tmp/dctwin-never").code == 2);
}

TEST_CASE("cli: a JSON syntax error exits 2 with line and column") {
  test::TempDir dir("cli-syntax");
  const std::string path = tiny_variant(dir, "\"seed\": 1 }", "\"seed\": 1, }");  // line 4 of tiny.json
  const Result r = dctwin_cli("validate " + quote(path));
  CHECK(r.code == 2);
  CHECK(contains(r.out, path + ": line 4, column "));
}

TEST_CASE("cli: bad --set exits 2") {
  {
    const Result r = dctwin_cli("validate " + quote(test::tiny_path()) + " --set simulaton.duration_s=5");
    CHECK(r.code == 2);
    CHECK(contains(r.out, "--set: $.simulaton: expected an existing key (did you mean \"simulation\"?)"));
  }
  {
    const Result r = dctwin_cli("validate " + quote(test::tiny_path()) + " --set jobs.3.gpus=1");
    CHECK(r.code == 2);
    CHECK(contains(r.out, "--set: $.jobs[3]"));
  }
  {
    const Result r = dctwin_cli("validate " + quote(test::tiny_path()) + " --set no-equals-sign");
    CHECK(r.code == 2);
  }
  {
    // A new key at the end of a valid path is reported by validation as unknown, with a hint.
    const Result r = dctwin_cli("validate " + quote(test::tiny_path()) + " --set simulation.sed=3");
    CHECK(r.code == 2);
    CHECK(contains(r.out, "$.simulation.sed"));
    CHECK(contains(r.out, "did you mean \"seed\"?"));
  }
}

TEST_CASE("cli: placement problems are input errors too") {
  const Result r = dctwin_cli("validate " + quote(test::tiny_path()) + " --set node_types.n1.gpus=2 --set jobs.0.gpus=3");
  CHECK(r.code == 2);
  CHECK(contains(r.out, "$.jobs[0].gpus"));
}

TEST_CASE("cli: run on tiny.json writes the summary.json and timeseries.csv contracts") {
  test::TempDir dir("cli-run");
  const std::string out = dir.file("out");
  const Result r = dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(out));
  REQUIRE(r.code == 0);
  const json s = read_json(out + "/summary.json");
  for (const char* key : {"scenario", "gpus", "duration_s", "it_energy_mwh", "gpu_energy_mwh", "losses_energy_mwh",
                          "losses_mwh_by_stage", "cooling_energy_mwh", "facility_energy_mwh", "peak_it_mw",
                          "mean_it_mw", "peak_facility_mw", "mean_facility_mw", "pue", "max_ramp_up_mw_per_s",
                          "max_ramp_down_mw_per_s", "energy_balance_rel_error", "overloads"}) {
    CAPTURE(key);
    CHECK(s.contains(key));
  }
  CHECK(s["scenario"] == "tiny");
  CHECK(s["gpus"] == 2);
  CHECK(s["duration_s"].get<double>() == 10.0);
  CHECK(s["cooling_energy_mwh"].is_null());
  CHECK(s["pue"].is_null());
  CHECK(s["overloads"].is_array());
  for (const char* stage : {"busway", "ups", "switchgear", "transformer"}) CHECK(s["losses_mwh_by_stage"].contains(stage));
  // 5 x (2184.047135465155 + 1156.6621101655944) J = 16703.546228 J = 4.63987395e-6 MWh.
  CHECK(s["facility_energy_mwh"].get<double>() == doctest::Approx(16703.546228153748 / 3.6e9).epsilon(1e-9));
  CHECK(s["peak_facility_mw"].get<double>() == doctest::Approx(2184.047135465155e-6).epsilon(1e-12));

  const std::string csv = test::read_file(out + "/timeseries.csv");
  std::istringstream in(csv);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header ==
        "t_s,facility_mw,it_mw,gpu_mw,psu_loss_mw,busway_loss_mw,ups_loss_mw,switchgear_loss_mw,transformer_loss_mw,"
        "meter_q_mvar,meter_pf");
  // First second (compute): 2184.05 W, IT 1918.2 W, GPUs 1100 W, PSU losses 340 W, busway 1.84 W,
  // UPS 156.83 W, switchgear 0.43 W, transformer 106.74 W, in MW with 6 decimals. Reactive power
  // (sim/output/reactive_power.h): UPS input 2076.87 W at PF 0.98 -> 421.73 var; the 20 kVA transformer
  // carries |2077.30 + j421.73| = 2119.68 VA: 200 var magnetising + 0.0567175 * 2119.68^2 / 20000 =
  // 12.74 var leakage; Q = 634.47 var, PF = 2184.05 / |2184.05 + j634.47| = 0.96030.
  CHECK(first == "0.000,0.002184,0.001918,0.001100,0.000340,0.000002,0.000157,0.000000,0.000107,0.000634,0.960300");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 11);  // header + 10 one-second rows
  CHECK(contains(r.out, "overloads           0"));
}

TEST_CASE("cli: --duration-s and --seed change the summary") {
  test::TempDir dir("cli-flags");
  REQUIRE(dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(dir.file("a"))).code == 0);
  REQUIRE(dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(dir.file("b")) + " --duration-s 4").code == 0);
  REQUIRE(dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(dir.file("c")) + " --seed 12345").code == 0);
  const json a = read_json(dir.file("a/summary.json"));
  const json b = read_json(dir.file("b/summary.json"));
  const json c = read_json(dir.file("c/summary.json"));
  CHECK(a["duration_s"].get<double>() == 10.0);
  CHECK(b["duration_s"].get<double>() == 4.0);
  // 4 s = 2 x (Pc + Pm).
  CHECK(b["facility_energy_mwh"].get<double>() ==
        doctest::Approx(2 * (2184.047135465155 + 1156.6621101655944) / 3.6e9).epsilon(1e-9));
  CHECK(a["seed"] == 1);
  CHECK(c["seed"] == 12345);
  CHECK(a != c);
}

TEST_CASE("cli: --duration-s keeps every digit") {
  test::TempDir dir("cli-digits");
  const Result r = dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(dir.str()) +
                              " --duration-s 1.2345678 --set simulation.output_step_s=0.1");
  REQUIRE(r.code == 0);
  CHECK(read_json(dir.file("summary.json"))["duration_s"].get<double>() == 1.2345678);
}

TEST_CASE("cli: bad flag values exit 2") {
  CHECK(dctwin_cli("run " + quote(test::tiny_path()) + " -o /tmp/dctwin-never --duration-s -5").code == 2);
  CHECK(dctwin_cli("run " + quote(test::tiny_path()) + " -o /tmp/dctwin-never --duration-s abc").code == 2);
  CHECK(dctwin_cli("run " + quote(test::tiny_path()) + " -o /tmp/dctwin-never --seed -1").code == 2);
}

TEST_CASE("cli: the embedded default scenario runs") {
  test::TempDir dir("cli-default");
  const Result r = dctwin_cli("run -o " + quote(dir.str()) + " --duration-s 5");
  REQUIRE(r.code == 0);
  const json s = read_json(dir.file("summary.json"));
  CHECK(s["scenario"] == "mai1-15k-h100");
  CHECK(s["gpus"] == 15360);
  CHECK(s["duration_s"].get<double>() == 5.0);
}

TEST_CASE("cli: profiles lists the built-ins") {
  const Result r = dctwin_cli("profiles");
  CHECK(r.code == 0);
  for (const char* name : {"h100-sxm", "h200-sxm", "b200", "gb200", "gb300"}) CHECK(contains(r.out, name));
}

TEST_CASE("cli: gpu-info exits 3 with an install hint, or 0 where a GPU exists") {
  const Result r = dctwin_cli("gpu-info");
  CAPTURE(r.out);
  if (r.code == 0) {
    CHECK(contains(r.out, "GPU 0:"));
  } else {
    CHECK(r.code == 3);
    CHECK((contains(r.out, "install") || contains(r.out, "Install")));
  }
}

TEST_CASE("cli: unknown subcommands and flags exit 2") {
  CHECK(dctwin_cli("frobnicate").code == 2);
  CHECK(dctwin_cli("run --frobnicate").code == 2);
  CHECK(dctwin_cli("validate").code == 2);  // the scenario is required
  CHECK(dctwin_cli("").code == 2);          // a subcommand is required
  const Result v = dctwin_cli("--version");
  CHECK(v.code == 0);
  CHECK(contains(v.out, "dctwin "));
}

TEST_CASE("cli: --dt-s sets the facility resolution, energy unchanged") {
  // 10 s at 0.01 s: 1000 rows; the energy is integrated exactly whatever the resolution.
  test::TempDir dir("cli-dt");
  REQUIRE(dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(dir.file("a")) + " --no-report --dt-s 0.01").code == 0);
  REQUIRE(dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(dir.file("b")) + " --no-report").code == 0);
  const json a = read_json(dir.file("a/summary.json"));
  const json b = read_json(dir.file("b/summary.json"));
  CHECK(a["output_step_s"].get<double>() == 0.01);
  CHECK(a["facility_energy_mwh"] == b["facility_energy_mwh"]);
  const std::string csv = test::read_file(dir.file("a/timeseries.csv"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1001);
  CHECK(dctwin_cli("run " + quote(test::tiny_path()) + " -o " + quote(dir.file("c")) + " --dt-s 0").code == 2);
}

TEST_CASE("cli: a GPU thermal runaway is a run outcome: exit 0, one line, partial results, no checkpoint") {
  // Leakage that runs away at the compute phase (tests/system/test_gpu_thermal.cpp works it out by
  // hand); before it was detected this ended in "conservation check failed" (exit 4).
  test::TempDir dir("cli-runaway");
  const std::string out = dir.file("out");
  const std::string set = "cooling.gpu_thermal={\"r_th_k_w\": 0.05, \"tau_s\": 2, \"throttle_c\": 120, \"limit_c\": 130, "
                          "\"leakage\": {\"reference_c\": 30, \"w_at_reference\": 200, \"doubling_k\": 20}}";
  const Result r = dctwin_cli("run " + quote(test::source_path("tests/data/tiny-cooling.json")) + " -o " + quote(out) +
                              " --no-report --duration-s 120 --checkpoint-every-s 5 --set " + quote(set));
  CHECK(r.code == 0);
  CHECK(count_lines_with(r, "thermal runaway     job j at ") == 1);
  CHECK(count_lines_with(r, "conservation check failed") == 0);
  const json s = read_json(out + "/summary.json");
  REQUIRE(s["thermal_runaway"].is_object());
  CHECK(s["partial"] == true);
  CHECK(s["duration_s"].get<double>() == s["thermal_runaway"]["t_s"].get<double>());
  CHECK_FALSE(std::filesystem::exists(out + "/checkpoint.dctwin"));  // nothing to resume
}
