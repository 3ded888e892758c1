// Validation of the weather parsers against the real files in data/weather (see its
// README: copied from the ladybug-tools/ladybug test assets; EnergyPlus EPW/.ddy/.stat formats).
//
// Expected values, all read from the .stat reports by the parser under test and cross-checked
// here by hand against the files:
//   chicago.stat (Chicago O'Hare, WMO 725300, TMY3): "Monthly Statistics for Dry Bulb
//     temperatures": Daily Avg Jan..Dec = -4.6 -2.5 3.8 10.0 15.3 21.1 24.1 21.8 18.1 11.0 4.7 -3.7
//     -> day-weighted annual mean 3645.7 / 365 = 9.988 °C; "Maximum Dry Bulb temperature of
//     35.0°C on Jul 19", Day:Hour 19:15; Design Stat Cooling DB004 33.3, WB_DB004 23.7, WB004 25.5,
//     DB_WB004 31.2, DBR 10.5, HottestMonth 7; Heating DB996 -20; "Standard Pressure at
//     Elevation -- 98934Pa".
//   tokyo.stat is for TOKYO HYAKURI (WMO 477150, IWEC) while tokyo.epw's LOCATION is "Tokyo, JPN,
//     TMY3, 724120" with hourly data ~3.7 K warmer (annual mean 16.71 °C against the .stat's ~13.0,
//     hottest hour 35.2 °C on Aug 5 hour 15 against 34.0 °C on Jul 3; computed from the files with
//     awk). The two files describe different stations, so the Tokyo EPW is not compared with the
//     Tokyo .stat; the test asserts the mismatch so a change of the data set is noticed.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "models/weather/design_conditions.h"
#include "models/weather/epw.h"
#include "core/json_input.h"
#include "sim/input/weather_file.h"

using namespace dctwin;
using namespace dctwin::weather;

namespace {

std::string weather_dir() { return std::string(DCTWIN_SOURCE_DIR) + "/data/weather/"; }

// Fails with a clear message when the repository's weather data set is missing.
std::string data_file(const std::string& name) {
  const std::string p = weather_dir() + name;
  REQUIRE_MESSAGE(std::filesystem::exists(p), "weather data file missing: " << p
                                                  << " (expected the weather data set at data/weather "
                                                     "relative to the repository root)");
  return p;
}

std::string read(const std::string& path) {
  Problems pr;
  std::string t = read_text_file(path, pr);
  REQUIRE(pr.empty());
  return t;
}

constexpr int kDim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

}  // namespace

TEST_CASE("weather files: Chicago EPW agrees with its .stat summary") {
  const EpwWeather w = load_epw_file(data_file("chicago.epw"));
  const StatSummary st = load_stat_file(data_file("chicago.stat"));
  REQUIRE(w.hours.size() == 8760);
  CHECK(w.location.city == "Chicago Ohare Intl Ap");
  CHECK(w.location.wmo == "725300");
  CHECK(st.wmo == "725300");
  CHECK(w.location.elevation_m == doctest::Approx(201.0));
  CHECK(w.missing_of(EpwField::DryBulb).count == 0);

  // annual mean: the .stat values are rounded to 0.1 K, so agreement within 0.05 K
  CHECK(st.annual_mean_dry_bulb_c == doctest::Approx(3645.7 / 365.0));
  CHECK(std::abs(epw_annual_mean_dry_bulb_c(w) - st.annual_mean_dry_bulb_c) < 0.05);
  // monthly means too
  std::size_t k = 0;
  for (std::size_t m = 0; m < 12; ++m) {
    double s = 0.0;
    const std::size_t n = static_cast<std::size_t>(kDim[m]) * 24;
    for (std::size_t i = 0; i < n; ++i) s += w.hours[k++].dry_bulb_c;
    CHECK(std::abs(s / static_cast<double>(n) - st.db_daily_avg_c[m]) < 0.05 + 1e-9);
  }
  // hottest hour: 35.0 °C on Jul 19, hour 15
  const EpwHour& hot = w.hours[epw_hottest_hour_index(w)];
  CHECK(st.hottest_c == doctest::Approx(35.0));
  CHECK(hot.dry_bulb_c == doctest::Approx(st.hottest_c));
  CHECK(hot.month == st.hottest_month);
  CHECK(hot.day == st.hottest_day);
  CHECK(hot.hour == st.hottest_hour);
  CHECK(st.hottest_month == 7);
  CHECK(st.hottest_day == 19);
  CHECK(st.hottest_hour == 15);
  // standard atmosphere at 201 m vs the .stat's 98934 Pa
  CHECK(std::abs(standard_pressure_pa(w.location.elevation_m) - st.standard_pressure_pa) < 1.0);
  // interpolation at 14:30 on Jul 19 lies between the 14:00 and 15:00 readings
  const std::size_t i15 = epw_hottest_hour_index(w);
  const double t = static_cast<double>(i15) * 3600.0 + 1800.0;  // half an hour before hour 15 ends
  CHECK(epw_conditions_at(w, t).dry_bulb_c ==
        doctest::Approx(0.5 * (w.hours[i15 - 1].dry_bulb_c + w.hours[i15].dry_bulb_c)));
}

TEST_CASE("weather files: Chicago design conditions from .ddy and .stat agree") {
  const DesignConditions ddy = load_design_conditions_file(data_file("chicago.ddy"));
  const StatSummary st = load_stat_file(data_file("chicago.stat"));
  const DesignConditions& s = st.design;
  CHECK(ddy.cooling_db_004_c == doctest::Approx(33.3));
  CHECK(ddy.cooling_mcwb_004_c == doctest::Approx(23.7));
  CHECK(ddy.cooling_wb_004_c == doctest::Approx(25.5));
  CHECK(ddy.cooling_mcdb_wb004_c == doctest::Approx(31.2));
  CHECK(ddy.cooling_db_range_k == doctest::Approx(10.5));
  CHECK(ddy.hottest_month == 7);
  CHECK(ddy.heating_db_996_c == doctest::Approx(-20.0));
  CHECK(s.cooling_db_004_c == doctest::Approx(ddy.cooling_db_004_c));
  CHECK(s.cooling_mcwb_004_c == doctest::Approx(ddy.cooling_mcwb_004_c));
  CHECK(s.cooling_wb_004_c == doctest::Approx(ddy.cooling_wb_004_c));
  CHECK(s.cooling_mcdb_wb004_c == doctest::Approx(ddy.cooling_mcdb_wb004_c));
  CHECK(s.cooling_db_range_k == doctest::Approx(ddy.cooling_db_range_k));
  CHECK(s.hottest_month == ddy.hottest_month);
  CHECK(s.heating_db_996_c == doctest::Approx(ddy.heating_db_996_c));
  const DdyFile d = load_ddy_file(data_file("chicago.ddy"));
  CHECK(d.days.size() == 18);
  CHECK(d.location.latitude_deg == doctest::Approx(41.98));
}

TEST_CASE("weather files: Tokyo EPW, .ddy and .stat parse, the EPW is another station") {
  const EpwWeather w = load_epw_file(data_file("tokyo.epw"));
  REQUIRE(w.hours.size() == 8760);
  CHECK(w.location.city == "Tokyo");
  const StatSummary st = load_stat_file(data_file("tokyo.stat"));
  const DesignConditions ddy = load_design_conditions_file(data_file("tokyo.ddy"));
  // tokyo.stat / tokyo.ddy: TOKYO HYAKURI, Design Stat Cooling DB004 32.1, WB_DB004 26, WB004 26.8,
  // DB_WB004 30.6, DBR 7.7, HottestMonth 8; Heating DB996 -6.9; hottest 34.0 °C on Jul 3 hour 15
  CHECK(st.wmo == "477150");
  CHECK(st.design.cooling_db_004_c == doctest::Approx(32.1));
  CHECK(st.design.cooling_mcwb_004_c == doctest::Approx(26.0));
  CHECK(st.design.cooling_wb_004_c == doctest::Approx(26.8));
  CHECK(st.design.cooling_mcdb_wb004_c == doctest::Approx(30.6));
  CHECK(st.design.cooling_db_range_k == doctest::Approx(7.7));
  CHECK(st.design.hottest_month == 8);
  CHECK(st.design.heating_db_996_c == doctest::Approx(-6.9));
  CHECK(ddy.cooling_db_004_c == doctest::Approx(st.design.cooling_db_004_c));
  CHECK(ddy.cooling_mcwb_004_c == doctest::Approx(st.design.cooling_mcwb_004_c));
  CHECK(ddy.cooling_wb_004_c == doctest::Approx(st.design.cooling_wb_004_c));
  CHECK(ddy.heating_db_996_c == doctest::Approx(st.design.heating_db_996_c));
  CHECK(st.hottest_c == doctest::Approx(34.0));
  CHECK(st.hottest_month == 7);
  CHECK(st.hottest_day == 3);
  CHECK(st.hottest_hour == 15);
  // The EPW is not the .stat's station (see the file comment): assert the known mismatch.
  CHECK(w.location.wmo == "724120");
  CHECK(w.location.wmo != st.wmo);
  CHECK(epw_annual_mean_dry_bulb_c(w) == doctest::Approx(16.7101).epsilon(1e-4));
  const EpwHour& hot = w.hours[epw_hottest_hour_index(w)];
  CHECK(hot.dry_bulb_c == doctest::Approx(35.2));
  CHECK(hot.month == 8);
  CHECK(hot.day == 5);
  CHECK(hot.hour == 15);
  MESSAGE("tokyo.epw (WMO " << w.location.wmo << ") and tokyo.stat (WMO " << st.wmo
                            << ") are different stations; EPW-vs-.stat agreement is checked on Chicago only");
}

TEST_CASE("weather files: malformed EPW text gives a clear error naming the line") {
  const std::string good = read(data_file("chicago.epw"));
  auto line_start = [&](std::size_t line) {  // byte offset of 1-based line
    std::size_t p = 0;
    for (std::size_t i = 1; i < line; ++i) p = good.find('\n', p) + 1;
    return p;
  };
  auto field_span = [&](std::size_t line, int field, std::size_t& b, std::size_t& e) {
    b = line_start(line);
    for (int i = 1; i < field; ++i) b = good.find(',', b) + 1;
    e = good.find_first_of(",\n", b);
  };
  SUBCASE("bad number") {
    std::string t = good;
    std::size_t b, e;
    field_span(12, 7, b, e);
    t.replace(b, e - b, "abc");
    ParseIssues is;
    parse_epw(t, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 12);
    CHECK(is[0].expected == "field 7 (dry bulb) a number in (-70, 70) °C or the missing code 99.9");
    CHECK(is[0].found == "'abc'");
  }
  SUBCASE("truncated") {
    const std::string t = good.substr(0, line_start(5009));  // lines 1..5008: 5000 rows
    ParseIssues is;
    parse_epw(t, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 5009);
    CHECK(is[0].found == "end of file after 5000 rows");
  }
  SUBCASE("wrong field count") {
    std::string t = good;
    std::size_t b, e;
    field_span(100, 35, b, e);
    t.erase(b - 1, e - b + 1);  // drop the last field of line 100
    ParseIssues is;
    parse_epw(t, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 100);
    CHECK(is[0].found == "34 fields");
  }
  SUBCASE("binary garbage") {
    std::string t = good;
    const std::size_t p = line_start(300) + 10;
    t[p] = '\x02';
    ParseIssues is;
    parse_epw(t, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 300);
    CHECK(is[0].found == "a binary byte 0x02 at column 11");
  }
  SUBCASE("empty") {
    ParseIssues is;
    parse_epw("", is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 1);
    CHECK(is[0].found == "an empty file");
  }
  SUBCASE("through the loader: file name and line in the message") {
    std::string t = good;
    std::size_t b, e;
    field_span(12, 7, b, e);
    t.replace(b, e - b, "abc");
    const std::string path = (std::filesystem::temp_directory_path() / "dctwin_bad_weather.epw").string();
    {
      std::FILE* f = std::fopen(path.c_str(), "wb");
      REQUIRE(f != nullptr);
      std::fwrite(t.data(), 1, t.size(), f);
      std::fclose(f);
    }
    try {
      load_epw_file(path);
      FAIL("expected InputError");
    } catch (const InputError& e) {
      REQUIRE(e.problems().size() == 1);
      CHECK(e.problems().list()[0].str() ==
            path + ": line 12: expected field 7 (dry bulb) a number in (-70, 70) °C or the missing code 99.9, found 'abc'");
    }
    std::filesystem::remove(path);
  }
}
