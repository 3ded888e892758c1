// The wall-clock column of weather-driven outputs: with an EPW weather file timeseries.csv and
// cooling.csv get local_time after t_s, from the EPW's own calendar (weather::epw_local_time);
// with a design day they do not.
#include <doctest/doctest.h>

#include "models/weather/epw.h"
#include "sim/output/results.h"
#include "sim/plant/cooling_plant.h"
#include "sim/run.h"
#include "tests/support.h"
#include "viz/run_data.h"

namespace test = dctwin::test;
using namespace dctwin;
using dctwin::viz::RunData;
using dctwin::viz::parse_cooling_csv;
using dctwin::viz::parse_run;

namespace {

std::string line(const std::string& csv, std::size_t n) {  // 0-based line n
  std::size_t a = 0;
  for (std::size_t i = 0; i < n && a != std::string::npos; ++i) a = csv.find('\n', a) + 1;
  return csv.substr(a, csv.find('\n', a) - a);
}

}  // namespace

TEST_CASE("epw_local_time: the record holding the hour gives month, day and clock") {
  weather::EpwWeather w;
  // Three records: Dec 31 hour-ending 23 and 24, then Jan 1 hour-ending 1 (a wrapped toy year).
  w.hours = {{12, 31, 23, 0, 0, 0, 0, 0}, {12, 31, 24, 0, 0, 0, 0, 0}, {1, 1, 1, 0, 0, 0, 0, 0}};
  CHECK(weather::epw_local_time(w, 0) == "--12-31T22:00:00");
  CHECK(weather::epw_local_time(w, 3600 + 61.5) == "--12-31T23:01:01.500");
  CHECK(weather::epw_local_time(w, 2 * 3600 + 3599) == "--01-01T00:59:59");
  CHECK(weather::epw_local_time(w, 3 * 3600) == "--12-31T22:00:00");  // modulo the file's year
}

TEST_CASE("local_time column: with an EPW file in timeseries.csv and cooling.csv, none with a design day") {
  const std::string epw = test::source_path("data/weather/chicago.epw");
  const Scenario sc = test::load_tiny_cooling(
      {"simulation.duration_s=7200", "simulation.output_step_s=60", "simulation.thermal_step_s=60",
       "cooling.weather={\"epw_file\": \"" + epw + "\", \"start_day_of_year\": 200}"});
  const WeatherSpec* clock = epw_clock(sc);
  REQUIRE(clock != nullptr);
  const RunResult r = run_scenario(sc);
  const std::string ts = timeseries_csv(r.engine.recorder, clock);
  CHECK(line(ts, 0).rfind("t_s,local_time,facility_mw,", 0) == 0);
  // Day 200 of a non-leap year is 19 July; row 61 starts at 3600 s, 01:00.
  CHECK(line(ts, 1).rfind("0.000,--07-19T00:00:00,", 0) == 0);
  CHECK(line(ts, 61).rfind("3600.000,--07-19T01:00:00,", 0) == 0);
  REQUIRE(r.engine.cooling);
  REQUIRE(r.engine.cooling->series);
  const std::string cool = r.engine.cooling->series->csv(r.engine.recorder, clock);
  CHECK(line(cool, 0).rfind("t_s,local_time,pue,", 0) == 0);
  CHECK(line(cool, 2).rfind("60.000,--07-19T00:01:00,", 0) == 0);

  const Scenario dd = test::load_tiny_cooling({"simulation.duration_s=60"});
  CHECK(epw_clock(dd) == nullptr);
  CHECK(dd.cooling->weather.local_time(0).empty());
}

TEST_CASE("local_time column: the report's readers skip it (text beside the numbers)") {
  const json summary = {{"scenario", "x"}, {"duration_s", 2.0}, {"output_step_s", 1.0}};
  RunData rd = parse_run(summary.dump(), "t_s,local_time,facility_mw\n0.000,--07-19T00:00:00,1.5\n1.000,--07-19T00:00:01,2.5\n");
  CHECK(rd.columns.count("local_time") == 0);
  REQUIRE(rd.columns.count("facility_mw") == 1);
  CHECK(rd.columns.at("facility_mw") == std::vector<double>{1.5, 2.5});
  parse_cooling_csv(rd, "t_s,local_time,pue\n0.000,--07-19T00:00:00,1.2\n");
  CHECK(rd.cooling.count("local_time") == 0);
  CHECK(rd.cooling.at("pue") == std::vector<double>{1.2});
}
