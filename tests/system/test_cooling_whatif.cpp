// What-if on the facility water supply temperature with the Chicago TMY3 weather: a warmer supply
// gives more free-cooling hours and less chiller energy, in winter and in summer; and
// the `dctwin whatif` command writes its table.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
json run_case(double supply_c, int start_day) {
  LoadOptions lo;
  const std::string epw = test::source_path("data/weather/chicago.epw");
  lo.overrides = {"simulation.duration_s=172800", "simulation.output_step_s=60", "simulation.thermal_step_s=10",
                  "cooling.facility_water.supply_c=" + std::to_string(supply_c),
                  // the coldest supply air the coil reaches (4 K approach), at least tiny-cooling's 24 °C
                  "cooling.air.supply_air_c=" + std::to_string(std::max(24.0, supply_c + 4.0)),
                  "cooling.weather={\"epw_file\": \"" + epw + "\", \"start_day_of_year\": " + std::to_string(start_day) + "}"};
  const Scenario sc = load_scenario_file(test::source_path("tests/data/tiny-cooling.json"), lo);
  return run_scenario(sc).summary;
}
double free_h(const json& s) { return s["free_cooling_hours"]["full"].get<double>() + s["free_cooling_hours"]["partial"].get<double>(); }
double chiller_mwh(const json& s) { return s["cooling"]["energy_mwh_by_component"]["chillers"].get<double>(); }
}  // namespace

TEST_CASE("system: cooling what-if: a warmer facility supply raises free cooling and lowers chiller energy (Chicago)") {
  for (int day : {15, 196}) {  // mid-January, mid-July
    CAPTURE(day);
    const json cold = run_case(12.0, day), warm = run_case(24.0, day);
    CHECK(free_h(warm) >= free_h(cold));
    // January: both loops are fully free-cooled (towers hold supply - approach), no chiller runs.
    if (day == 15) CHECK(chiller_mwh(warm) == 0.0);
    CHECK(chiller_mwh(warm) <= chiller_mwh(cold));
    if (day == 196) CHECK(chiller_mwh(warm) < chiller_mwh(cold));
    CHECK(warm["pue"].get<double>() < cold["pue"].get<double>());
    CHECK(cold["cooling"]["heat_balance_rel_error"].get<double>() <= 1e-6);
    CHECK(warm["cooling"]["heat_balance_rel_error"].get<double>() <= 1e-6);
    if (day == 15) CHECK(free_h(warm) > 40.0);  // January in Chicago: the warm loop is mostly free-cooled
  }
}

TEST_CASE("system: dctwin whatif writes a row per combination") {
  test::TempDir dir("whatif");
  const std::string cmd = std::string(DCTWIN_CLI_PATH) + " whatif " + test::source_path("tests/data/tiny-cooling.json") +
                          " --vary cooling.facility_water.supply_c=14,20 --vary cooling.liquid_capture.default_fraction=0,0.8" +
                          " --duration-s 600 --weather " + test::source_path("data/weather/chicago.epw") + " -o " +
                          dir.str() + " > " + dir.file("out.txt") + " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string csv = test::read_file(dir.file("whatif.csv"));
  CHECK(csv.rfind("case,cooling.facility_water.supply_c,cooling.liquid_capture.default_fraction,pue,wue_l_per_kwh", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  const json j = json::parse(test::read_file(dir.file("whatif.json")));
  CHECK(j["cases"].size() == 4);
  CHECK(test::read_file(dir.file("out.txt")).find("PUE") != std::string::npos);
  // A bad --vary is an input error (exit 2).
  const std::string bad = std::string(DCTWIN_CLI_PATH) + " whatif " + test::source_path("tests/data/tiny-cooling.json") +
                          " --vary nokey -o " + dir.str() + " > /dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(bad.c_str())) == 2);
}

TEST_CASE("system: dctwin whatif --period and --fail: a lost chiller at the hottest hour, timed to its first alarm") {
  test::TempDir dir("whatif-fail");
  // Two 1 kW chillers both needed (no economizer) on the hottest Chicago day; lose one at the
  // hottest hour (14:00): the ~1.2 kW mean heat (the facility water loop, tau ~25 min, averages
  // the steps) is more than one chiller carries, so the capacity alarm starts within seconds.
  const std::string common = " whatif " + test::source_path("tests/data/tiny-cooling.json") +
                             " --weather " + test::source_path("data/weather/chicago.epw") +
                             " --set cooling.heat_rejection.economizer.enabled=false --set cooling.heat_rejection.chillers.count=2" +
                             " --set cooling.heat_rejection.chillers.redundancy=\"N\" --set cooling.heat_rejection.chillers.ref_capacity_kw=1" +
                             " --set simulation.output_step_s=60 --period hottest-day";
  const test::CliRun r = test::run_cli(common + " --fail chiller@hottest-hour/3600 -o " + dir.str());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("period: hottest-day: 1 day(s) from day 200") != std::string::npos);
  const json j = json::parse(test::read_file(dir.file("whatif.json")));
  REQUIRE(j["cases"].size() == 1);
  const json& f = j["cases"][0]["plant_failures"][0];
  CHECK(f["at_s"].get<double>() == 14 * 3600.0);
  CHECK(f["end_s"].get<double>() == 15 * 3600.0);
  CHECK(f["first_alarm"]["kind"] == "plant_capacity_exceeded");
  CHECK(f["time_to_first_alarm_s"].get<double>() < 20.0);
  CHECK(j["cases"][0]["time_to_first_alarm_s"] == f["time_to_first_alarm_s"]);
  // Bad --fail and --period values are input errors naming the option.
  const test::CliRun bad = test::run_cli(common + " --fail pump -o " + dir.str());
  CHECK(bad.code == 2);
  CHECK(bad.out.find("--fail") != std::string::npos);
  const test::CliRun badp = test::run_cli(common + " --period someday -o " + dir.str());
  CHECK(badp.code == 2);
  CHECK(badp.out.find("--period") != std::string::npos);
}
