// The period a what-if analysis covers, chosen by name against the weather: a whole year, the
// hottest or coldest day or week of an EPW file, or explicit days. It sets the run's start day
// (cooling.weather.start_day_of_year) and duration, and locates the hottest hour inside it, the
// usual moment to test a plant failure.
//
// Period text:
//   year                the whole EPW year from Jan 1 (8760 or 8784 h)
//   hottest-day         the calendar day holding the EPW's hottest hour (highest dry bulb)
//   hottest-week        7 days centred on that hour's day (held inside the year)
//   coldest-day         the calendar day holding the coldest hour
//   day:N               day of year N (1..366), one day
//   days:N:M            M days from day of year N
// Without an EPW file (design-day weather) only day:N and days:N:M are accepted (the design day
// repeats every day), and the hottest hour is the design day's hottest hour (14:00).
#pragma once
#include <string>

#include "models/weather/epw.h"

namespace dctwin {

struct AnalysisPeriod {
  int start_day_of_year = 1;
  double duration_s = 0;
  double hottest_hour_offset_s = 0;  // start of the period's hottest hour, from the period's start
  std::string description;           // "hottest day: day 196 (Jul 15), 33.9 C at 15:00"
};

// Throws InputError naming `option` (e.g. "--period") when the text is not one of the forms above,
// or needs an EPW file that `epw` (nullable) does not provide.
AnalysisPeriod resolve_analysis_period(const std::string& text, const weather::EpwWeather* epw, const std::string& option);

}  // namespace dctwin
