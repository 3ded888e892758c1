// `dctwin comply`: the scenario run at the resolution the requirements need, compliance.json with
// every check, exit 0 pass or fail; bad requirement files and unresolvable requirements exit 2.
// The checks themselves: tests/unit/sim/output/test_compliance_checks.cpp.
#include <doctest/doctest.h>

#include <optional>

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

TEST_CASE("comply: a step set too coarse, a run set too short, a bad file: exit 2 naming what is needed") {
  test::TempDir d("comply-bad");
  test::write_file(d.file("req.json"), kReq);
  const std::string base = "comply " + test::tiny_path() + " --requirements " + d.file("req.json") + " -o " + d.file("out");
  const auto coarse = test::run_cli(base + " --set simulation.output_step_s=0.5");
  CHECK(coarse.code == 2);
  CHECK(coarse.out.find("simulation.output_step_s: expected at most 0.125 s") != std::string::npos);
  // Not set: lengthened to the 20 s the requirements need (tiny.json runs 10 s; a 20 s demand window).
  test::write_file(d.file("long.json"), R"({"name": "x", "demand": {"window_s": 20, "max_mw": 1}})");
  const auto longer = test::run_cli("comply " + test::tiny_path() + " --requirements " + d.file("long.json") + " -o " + d.file("long"));
  CAPTURE(longer.out);
  REQUIRE(longer.code == 0);
  const json lj = json::parse(test::read_file(d.file("long/compliance.json")));
  CHECK(lj["run"]["duration_s"].get<double>() == 20);
  CHECK(lj["run"]["output_step_reason"].get<std::string>().find("duration lengthened") != std::string::npos);
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

// tests/data/requirements-strict-tiny.json: limits below what tiny.json draws, so only a
// mitigation passes.
std::string strict_req() { return test::source_path("tests/data/requirements-strict-tiny.json"); }


TEST_CASE("comply --mitigate: the mitigation found passes when rerun with exactly its sets") {
  test::TempDir d("comply-mitigate");
  const std::string base = "comply " + test::tiny_path() + " --requirements " + strict_req() + " --duration-s 60";
  const auto r = test::run_cli(base + " --mitigate --threads 2 --battery-usd-per-kwh 300 -o " + d.file("mit"));
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const json j = json::parse(test::read_file(d.file("mit/compliance.json")));
  REQUIRE(j["pass"] == false);  // unmitigated, it fails
  const json& m = j["mitigation"];
  REQUIRE(m["found"] == true);
  REQUIRE(m["sets"].size() >= 1);
  CHECK(m["frontier"].size() == m["cases_run"].get<std::size_t>());
  bool cap_tried = false, battery_priced = false;
  for (const json& f : m["frontier"]) {
    if (f["lever"] == "power_cap") cap_tried = true;
    if (f["battery_kwh"].get<double>() > 0) {
      REQUIRE(f["battery_capital_usd"].is_number());
      CHECK(f["battery_capital_usd"].get<double>() == doctest::Approx(f["battery_kwh"].get<double>() * 300));
      battery_priced = true;
    }
  }
  CHECK(cap_tried);
  CHECK(battery_priced);
  CHECK(m["extra_energy_usd_per_year"].is_null());  // no tariff: not priced

  std::string sets;
  for (const json& s : m["sets"]) sets += " --set " + test::shell_quote(s.get<std::string>());
  const auto again = test::run_cli(base + sets + " -o " + d.file("again"));
  CAPTURE(again.out);
  REQUIRE(again.code == 0);
  const json k = json::parse(test::read_file(d.file("again/compliance.json")));
  CHECK(k["pass"] == true);
  CHECK(k["verdict"] == "passes");
}

TEST_CASE("comply --mitigate: without battery prices a battery's capital cost is null, not 0") {
  test::TempDir d("comply-mitigate-null");
  const auto r = test::run_cli("comply " + test::tiny_path() + " --requirements " + strict_req() +
                               " --duration-s 60 --mitigate --threads 1 -o " + d.file("mit"));
  REQUIRE(r.code == 0);
  const json m = json::parse(test::read_file(d.file("mit/compliance.json")))["mitigation"];
  bool battery = false;
  for (const json& f : m["frontier"])
    if (f["battery_kwh"].get<double>() > 0) {
      battery = true;
      CHECK(f["battery_capital_usd"].is_null());
    }
  CHECK(battery);
}

TEST_CASE("comply --mitigate: with a tariff and battery prices the option chosen is the cheapest passing one over the horizon") {
  test::TempDir d("comply-mitigate-money");
  const auto r = test::run_cli("comply " + test::tiny_path() + " --requirements " + strict_req() +
                               " --duration-s 60 --mitigate --threads 2 --usd-per-mwh 80 --battery-usd-per-kwh 300 "
                               "--battery-usd-per-kw 100 --horizon-years 10 -o " + d.file("mit"));
  REQUIRE(r.code == 0);
  const json m = json::parse(test::read_file(d.file("mit/compliance.json")))["mitigation"];
  REQUIRE(m["found"] == true);
  CHECK(m["ranking"].get<std::string>().find("money") != std::string::npos);
  CHECK(m["tariff_usd_per_mwh"].get<double>() == 80);
  auto total = [](const json& f) {
    const double capital = f["battery_capital_usd"].is_number() ? f["battery_capital_usd"].get<double>() : 0.0;
    return f["extra_energy_usd_per_year"].get<double>() * 10 + capital;
  };
  std::optional<double> cheapest;
  for (const json& f : m["frontier"])
    if (f["pass"] == true && f["goodput_lost_gpu_hours_per_year"].get<double>() == 0) {
      CHECK(f["extra_energy_usd_per_year"].get<double>() == doctest::Approx(f["extra_energy_mwh_per_year"].get<double>() * 80));
      if (!cheapest || total(f) < *cheapest) cheapest = total(f);
    }
  REQUIRE(cheapest);
  const double chosen = m["extra_energy_usd_per_year"].get<double>() * 10 +
                        (m["battery_capital_usd"].is_number() ? m["battery_capital_usd"].get<double>() : 0.0);
  CHECK(chosen == doctest::Approx(*cheapest));
}

}  // namespace dctwin
