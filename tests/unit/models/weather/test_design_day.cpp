#include <doctest/doctest.h>

#include "models/weather/design_day.h"

using namespace dctwin::weather;

TEST_CASE("design day: ASHRAE fraction table at whole hours") {
  // ASHRAE HOF 2009 ch. 14 Table 6: f(5) = 1 (minimum), f(14) = f(15) = 0 (maximum), f(24) = 0.82
  CHECK(design_day_fraction(5 * 3600.0) == doctest::Approx(1.00));
  CHECK(design_day_fraction(14 * 3600.0) == doctest::Approx(0.00));
  CHECK(design_day_fraction(15 * 3600.0) == doctest::Approx(0.00));
  CHECK(design_day_fraction(1 * 3600.0) == doctest::Approx(0.88));
  CHECK(design_day_fraction(9 * 3600.0) == doctest::Approx(0.55));
  CHECK(design_day_fraction(20 * 3600.0) == doctest::Approx(0.50));
  CHECK(design_day_fraction(0.0) == doctest::Approx(0.82));  // midnight = hour 24
  for (std::size_t h = 1; h <= 24; ++h)
    CHECK(design_day_fraction(static_cast<double>(h) * 3600.0) == doctest::Approx(kAshraeDailyRangeFraction[h - 1]));
}

TEST_CASE("design day: linear between hours and periodic") {
  // 00:30: (0.82 + 0.88) / 2 = 0.85; 12:30: (0.13 + 0.05) / 2 = 0.09
  CHECK(design_day_fraction(0.5 * 3600.0) == doctest::Approx(0.85));
  CHECK(design_day_fraction(12.5 * 3600.0) == doctest::Approx(0.09));
  // 23:45: 0.75 + 0.75 * (0.82 - 0.75) = 0.8025
  CHECK(design_day_fraction(23.75 * 3600.0) == doctest::Approx(0.8025));
  CHECK(design_day_fraction(86400.0 + 12.5 * 3600.0) == doctest::Approx(0.09));
  CHECK(design_day_fraction(-86400.0 + 12.5 * 3600.0) == doctest::Approx(0.09));
  CHECK(design_day_fraction(86400.0) == doctest::Approx(0.82));
}

TEST_CASE("design day: dry-bulb profile and held wet-bulb (Chicago 0.4 % default)") {
  const DesignDayParams p = design_day_default();
  CHECK(p.design_dry_bulb_c == 33.3);
  CHECK(p.daily_range_k == 10.5);
  CHECK(p.coincident_wet_bulb_c == 23.7);
  // 15:00: 33.3; 05:00: 33.3 - 10.5 = 22.8; 00:00: 33.3 - 0.82*10.5 = 24.69; 12:30: 33.3 - 0.09*10.5 = 32.355
  CHECK(design_day_at(p, 15 * 3600.0).dry_bulb_c == doctest::Approx(33.3));
  CHECK(design_day_at(p, 5 * 3600.0).dry_bulb_c == doctest::Approx(22.8));
  CHECK(design_day_at(p, 0.0).dry_bulb_c == doctest::Approx(24.69));
  CHECK(design_day_at(p, 12.5 * 3600.0).dry_bulb_c == doctest::Approx(32.355));
  // wet-bulb held at 23.7 while the dry-bulb is above it
  const DesignDayConditions c0 = design_day_at(p, 0.0);
  CHECK(c0.wet_bulb_c == doctest::Approx(23.7));
  CHECK_FALSE(c0.saturated);
  // 05:00: dry-bulb 22.8 < 23.7 -> saturated, wet-bulb = dry-bulb
  const DesignDayConditions c5 = design_day_at(p, 5 * 3600.0);
  CHECK(c5.saturated);
  CHECK(c5.wet_bulb_c == doctest::Approx(22.8));
}

TEST_CASE("design day: wet-bulb following the profile") {
  DesignDayParams p = design_day_default();
  p.wet_bulb_range_k = 5.4;  // Chicago .stat July "Wetbulb range - DB 5%"
  // 05:00: 23.7 - 5.4 = 18.3 (dry-bulb 22.8: not saturated); 15:00: 23.7
  const DesignDayConditions c5 = design_day_at(p, 5 * 3600.0);
  CHECK(c5.wet_bulb_c == doctest::Approx(18.3));
  CHECK_FALSE(c5.saturated);
  CHECK(design_day_at(p, 15 * 3600.0).wet_bulb_c == doctest::Approx(23.7));
  // never above dry-bulb over the day
  for (int m = 0; m < 24 * 60; ++m) {
    const DesignDayConditions c = design_day_at(p, m * 60.0);
    CHECK(c.wet_bulb_c <= c.dry_bulb_c);
  }
}

TEST_CASE("design day: from parsed design conditions") {
  DesignConditions dc;
  dc.cooling_db_004_c = 32.1;
  dc.cooling_db_range_k = 7.7;
  dc.cooling_mcwb_004_c = 26.0;
  const DesignDayParams p = design_day_from(dc);
  CHECK(p.design_dry_bulb_c == 32.1);
  CHECK(p.daily_range_k == 7.7);
  CHECK(p.coincident_wet_bulb_c == 26.0);
  CHECK(p.wet_bulb_range_k == 0.0);
  // 05:00: 32.1 - 7.7 = 24.4 < 26.0 -> saturated
  CHECK(design_day_at(p, 5 * 3600.0).saturated);
}
