// sim/studies/analysis_period.h on the Chicago O'Hare TMY3 file, checked against its .stat summary
// (maximum dry bulb 35.0 C on Jul 19 = day 200; minimum -22.8 C on Jan 7).
#include <doctest/doctest.h>

#include "sim/studies/analysis_period.h"
#include "core/problems.h"
#include "sim/input/weather_file.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
const weather::EpwWeather& chicago() {
  static const weather::EpwWeather w = load_epw_file(test::source_path("data/weather/chicago.epw"));
  return w;
}
}  // namespace

TEST_CASE("analysis period: hottest and coldest day of Chicago agree with the .stat summary") {
  const AnalysisPeriod hot = resolve_analysis_period("hottest-day", &chicago(), "--period");
  CHECK(hot.start_day_of_year == 200);  // Jul 19
  CHECK(hot.duration_s == 86400.0);
  // The hottest hour is the hour ending 15:00: it starts 14 h into the day.
  CHECK(hot.hottest_hour_offset_s == 14.0 * 3600.0);
  CHECK(hot.description.find("35.0 C") != std::string::npos);
  const AnalysisPeriod cold = resolve_analysis_period("coldest-day", &chicago(), "--period");
  CHECK(cold.start_day_of_year == 7);  // Jan 7
  CHECK(cold.description.find("-22.8 C") != std::string::npos);
  const AnalysisPeriod week = resolve_analysis_period("hottest-week", &chicago(), "--period");
  CHECK(week.start_day_of_year == 197);
  CHECK(week.duration_s == 7 * 86400.0);
  CHECK(week.hottest_hour_offset_s == (3 * 24 + 14) * 3600.0);
  const AnalysisPeriod year = resolve_analysis_period("year", &chicago(), "--period");
  CHECK(year.start_day_of_year == 1);
  CHECK(year.duration_s == 8760 * 3600.0);
  CHECK(year.hottest_hour_offset_s == (199 * 24 + 14) * 3600.0);
}

TEST_CASE("analysis period: explicit days, and errors that name the option") {
  const AnalysisPeriod d = resolve_analysis_period("days:32:28", &chicago(), "--period");
  CHECK(d.start_day_of_year == 32);
  CHECK(d.duration_s == 28 * 86400.0);
  const AnalysisPeriod dd = resolve_analysis_period("day:100", nullptr, "--period");  // design-day weather
  CHECK(dd.hottest_hour_offset_s == 14.0 * 3600.0);
  for (const char* bad : {"hottest", "day:0", "day:367", "days:5", "days:5:x", "day:-1", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(resolve_analysis_period(bad, &chicago(), "--period"), InputError);
  }
  try {
    resolve_analysis_period("hottest-day", nullptr, "--period");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("needs an EPW weather file") != std::string::npos);
    CHECK(std::string(e.what()).find("--period") != std::string::npos);
  }
}
