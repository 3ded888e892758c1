// `dctwin comply`: the scenario run at the resolution the requirements need, compliance.json with
// every check, exit 0 pass or fail; bad requirement files and unresolvable requirements exit 2.
// The checks themselves: tests/unit/sim/output/test_compliance_checks.cpp.
#include <doctest/doctest.h>

#include "core/json_reader.h"
#include "tests/support.h"

namespace dctwin {

namespace {

const char* kReq = R"({
  "name": "test utility",
  "ramp": [{"window_s": 1, "max_up_mw_per_s": 1000, "max_down_mw_per_s": 1000}],
  "oscillation": [{"band_hz": [0.5, 2], "max_component_mw": 1000}],
  "demand": {"window_s": 2, "max_mw": 1e-6},
  "power_factor": {"min": 0.9}
})";

}  // namespace

TEST_CASE("comply: tiny.json against a hand-made file: step chosen, one check fails, PF at the meter evaluated") {
  test::TempDir d("comply-cli");
  test::write_file(d.file("req.json"), kReq);
  const auto r = test::run_cli("comply " + test::tiny_path() + " --requirements " + d.file("req.json") + " --duration-s 8 -o " + d.file("out"));
  CAPTURE(r.out);
  REQUIRE(r.code == 0);  // 0 although it fails
  const json j = json::parse(test::read_file(d.file("out/compliance.json")));
  CHECK(j["pass"] == false);
  CHECK(j["verdict"] == "fails");
  CHECK(j["run"]["output_step_s"].get<double>() == doctest::Approx(0.125));  // 4 samples per period of 2 Hz
  CHECK(j["run"]["duration_s"].get<double>() == 8);
  REQUIRE(j["checks"].size() == 5);
  const json& demand = j["checks"][3];
  CHECK(demand["name"] == "demand");
  CHECK(demand["pass"] == false);
  CHECK(demand["value"].get<double>() > 0);
  CHECK(demand["margin"].get<double>() < 0);
  CHECK(j["checks"][0]["pass"] == true);  // ramp_up within 1000 MW/s
  // The power factor at the meter is evaluated (about 0.96 for tiny: tests/cli/test_cli.cpp works
  // out its first second).
  const json& pf = j["checks"][4];
  CHECK(pf["name"] == "power_factor");
  CHECK(pf["value"].get<double>() > 0.9);
  CHECK(pf["value"].get<double>() < 1);
  CHECK(pf["pass"] == true);
  CHECK(j["failed"].size() == 1);
  CHECK(j["not_evaluated"].size() == 0);
}

TEST_CASE("comply: a step set too coarse, a run too short, a bad file: exit 2 naming what is needed") {
  test::TempDir d("comply-bad");
  test::write_file(d.file("req.json"), kReq);
  const std::string base = "comply " + test::tiny_path() + " --requirements " + d.file("req.json") + " -o " + d.file("out");
  const auto coarse = test::run_cli(base + " --set simulation.output_step_s=0.5");
  CHECK(coarse.code == 2);
  CHECK(coarse.out.find("simulation.output_step_s: expected at most 0.125 s") != std::string::npos);
  const auto brief = test::run_cli(base + " --duration-s 3");
  CHECK(brief.code == 2);
  CHECK(brief.out.find("--duration-s: value: expected at least 4 s") != std::string::npos);
  test::write_file(d.file("bad.json"), R"({"name": "x", "ramp": [{"window_s": 0}]})");
  const auto bad = test::run_cli("comply " + test::tiny_path() + " --requirements " + d.file("bad.json") + " -o " + d.file("out"));
  CHECK(bad.code == 2);
  CHECK(bad.out.find("$.ramp[0].window_s") != std::string::npos);
  CHECK(bad.out.find("$.ramp[0].max_up_mw_per_s") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(d.file("out/compliance.json")));
}

}  // namespace dctwin
