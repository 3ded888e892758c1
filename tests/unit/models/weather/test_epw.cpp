#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>

#include "models/weather/epw.h"

using namespace dctwin::weather;

namespace {

const char* kHeader =
    "LOCATION,Testville,TS,USA,TMY3,999999,41.98,-87.92,-6.0,201.0\n"
    "DESIGN CONDITIONS,0\n"
    "TYPICAL/EXTREME PERIODS,0\n"
    "GROUND TEMPERATURES,0\n"
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0\n"
    "COMMENTS 1,synthetic\n"
    "COMMENTS 2,synthetic\n"
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31\n";

constexpr int kDim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// One EPW row with 35 fields; dry bulb 0.001*k so every hour is distinct.
std::string row(int k, int m, int d, int h) {
  char db[32];
  std::snprintf(db, sizeof db, "%.3f", 0.001 * k);
  return "1999," + std::to_string(m) + "," + std::to_string(d) + "," + std::to_string(h) + ",0,?9?9," + db +
         ",-5.0,50,100000,0,0,0,0,0,0,0,0,0,0,180,3.0,0,0,0,0,9,999999999,0,0,0,0,0,0,0\n";
}

// 8760 rows; `edit(k, line)` may rewrite row k (0-based; its line number is k + 9).
std::string make_epw(const std::function<void(int, std::string&)>& edit = nullptr, int rows = 8760) {
  std::string s = kHeader;
  int k = 0;
  for (int m = 1; m <= 12; ++m)
    for (int d = 1; d <= kDim[m - 1]; ++d)
      for (int h = 1; h <= 24; ++h) {
        if (k >= rows) return s;
        std::string r = row(k, m, d, h);
        if (edit) edit(k, r);
        s += r;
        ++k;
      }
  return s;
}

// Replaces field `f` (1-based) of an EPW row.
void set_field(std::string& r, int f, const std::string& v) {
  std::size_t start = 0;
  for (int i = 1; i < f; ++i) start = r.find(',', start) + 1;
  std::size_t end = r.find_first_of(",\n", start);
  r.replace(start, end - start, v);
}

}  // namespace

TEST_CASE("epw: parses location and 8760 rows") {
  ParseIssues is;
  const EpwWeather w = parse_epw(make_epw(), is);
  REQUIRE(is.empty());
  CHECK(w.location.city == "Testville");
  CHECK(w.location.wmo == "999999");
  CHECK(w.location.latitude_deg == doctest::Approx(41.98));
  CHECK(w.location.longitude_deg == doctest::Approx(-87.92));
  CHECK(w.location.time_zone_h == doctest::Approx(-6.0));
  CHECK(w.location.elevation_m == doctest::Approx(201.0));
  REQUIRE(w.hours.size() == 8760);
  CHECK_FALSE(w.leap_year);
  CHECK(w.hours[8759].month == 12);
  CHECK(w.hours[8759].day == 31);
  CHECK(w.hours[8759].hour == 24);
  CHECK(w.hours[10].dry_bulb_c == doctest::Approx(0.010));
  CHECK(w.hours[10].pressure_pa == doctest::Approx(100000.0));
  CHECK(w.hours[10].wind_speed_m_s == doctest::Approx(3.0));
  CHECK(w.missing_of(EpwField::DryBulb).count == 0);
  CHECK(epw_year_s(w) == doctest::Approx(8760.0 * 3600.0));
  // mean of 0.001*k for k = 0..8759 = 0.001 * 8759 / 2 = 4.3795
  CHECK(epw_annual_mean_dry_bulb_c(w) == doctest::Approx(4.3795).epsilon(1e-12));
  CHECK(epw_hottest_hour_index(w) == 8759);
}

TEST_CASE("epw: hour-ending interpolation in time") {
  ParseIssues is;
  const EpwWeather w = parse_epw(make_epw(), is);
  REQUIRE(is.empty());
  // row k sits at t = (k+1)*3600 s
  CHECK(epw_conditions_at(w, 3600.0).dry_bulb_c == doctest::Approx(0.000));
  CHECK(epw_conditions_at(w, 7200.0).dry_bulb_c == doctest::Approx(0.001));
  // t = 5400 s: halfway between row 0 (0.000) and row 1 (0.001) -> 0.0005
  CHECK(epw_conditions_at(w, 5400.0).dry_bulb_c == doctest::Approx(0.0005).epsilon(1e-12));
  // t = 1800 s: halfway between the year's last row (8.759 at Jan 1 00:00) and row 0 -> 4.3795
  CHECK(epw_conditions_at(w, 1800.0).dry_bulb_c == doctest::Approx(4.3795).epsilon(1e-12));
  // t = 0: the last row (Dec 31 hour 24 == Jan 1 00:00)
  CHECK(epw_conditions_at(w, 0.0).dry_bulb_c == doctest::Approx(8.759));
  // periodic: one year later, and negative times
  const double year = 8760.0 * 3600.0;
  CHECK(epw_conditions_at(w, year + 5400.0).dry_bulb_c == doctest::Approx(0.0005).epsilon(1e-9));
  CHECK(epw_conditions_at(w, -year + 5400.0).dry_bulb_c == doctest::Approx(0.0005).epsilon(1e-9));
  // 1 s before year end: (1/3600) of the way from row 8758 (8.758) to 8759 (8.759)
  CHECK(epw_conditions_at(w, year - 1.0).dry_bulb_c == doctest::Approx(8.758 + 0.001 * 3599.0 / 3600.0).epsilon(1e-12));
  const EpwConditions c = epw_conditions_at(w, 5400.0);
  CHECK(c.dew_point_c == doctest::Approx(-5.0));
  CHECK(c.rel_humidity_pct == doctest::Approx(50.0));
}

TEST_CASE("epw: missing values are interpolated and counted") {
  ParseIssues is;
  const EpwWeather w = parse_epw(make_epw([](int k, std::string& r) {
                                   if (k == 100) set_field(r, 7, "99.9");                // dry bulb missing
                                   if (k >= 200 && k <= 202) set_field(r, 8, "99.9");   // 3 h of dew point
                                   if (k == 200) set_field(r, 8, "100");                // >= code is missing too
                                   if (k == 199) set_field(r, 8, "-4.0");
                                   if (k == 203) set_field(r, 8, "-8.0");
                                   if (k == 0) set_field(r, 9, "999");                  // RH missing at the start
                                   if (k == 1) set_field(r, 9, "60");
                                   if (k == 8759) set_field(r, 22, "");                 // empty = missing
                                 }),
                                 is);
  REQUIRE(is.empty());
  // dry bulb k=100: between 0.099 and 0.101 -> 0.100
  CHECK(w.hours[100].dry_bulb_c == doctest::Approx(0.100).epsilon(1e-12));
  CHECK(w.missing_of(EpwField::DryBulb).count == 1);
  CHECK(w.missing_of(EpwField::DryBulb).longest_run_h == 1);
  // dew point k=200..202 between -4 (k=199) and -8 (k=203): -5, -6, -7
  CHECK(w.hours[200].dew_point_c == doctest::Approx(-5.0));
  CHECK(w.hours[201].dew_point_c == doctest::Approx(-6.0));
  CHECK(w.hours[202].dew_point_c == doctest::Approx(-7.0));
  CHECK(w.missing_of(EpwField::DewPoint).count == 3);
  CHECK(w.missing_of(EpwField::DewPoint).longest_run_h == 3);
  // RH at k=0 held from the first valid value (60 at k=1)
  CHECK(w.hours[0].rel_humidity_pct == doctest::Approx(60.0));
  CHECK(w.missing_of(EpwField::RelHumidity).count == 1);
  // wind speed at the last hour held from the previous one
  CHECK(w.hours[8759].wind_speed_m_s == doctest::Approx(3.0));
  CHECK(w.missing_of(EpwField::WindSpeed).count == 1);
  CHECK_FALSE(w.pressure_from_elevation);
}

TEST_CASE("epw: no pressure at all -> standard atmosphere at the elevation") {
  ParseIssues is;
  const EpwWeather w = parse_epw(make_epw([](int, std::string& r) { set_field(r, 10, "999999"); }), is);
  REQUIRE(is.empty());
  CHECK(w.pressure_from_elevation);
  // 101325 * (1 - 2.25577e-5 * 201)^5.2559 = 98933.53 Pa (the Chicago .stat prints 98934 Pa)
  CHECK(w.hours[5].pressure_pa == doctest::Approx(98933.53).epsilon(1e-7));
  CHECK(standard_pressure_pa(0.0) == doctest::Approx(101325.0));
  CHECK(w.missing_of(EpwField::Pressure).count == 8760);
}

TEST_CASE("epw: all dry-bulb values missing is an error") {
  ParseIssues is;
  parse_epw(make_epw([](int, std::string& r) { set_field(r, 7, "99.9"); }), is);
  REQUIRE(is.size() == 1);
  CHECK(is[0].line == 9);
  CHECK(is[0].expected.find("dry bulb") != std::string::npos);
  CHECK(is[0].found == "all 8760 values missing");
}

TEST_CASE("epw: bad number names the line, field, range and the text found") {
  ParseIssues is;
  // row k=3 is on line 12
  parse_epw(make_epw([](int k, std::string& r) {
              if (k == 3) set_field(r, 7, "abc");
              if (k == 4) set_field(r, 9, "120");  // RH above 110 and not the missing code
            }),
            is);
  REQUIRE(is.size() == 2);
  CHECK(is[0].line == 12);
  CHECK(is[0].expected == "field 7 (dry bulb) a number in (-70, 70) °C or the missing code 99.9");
  CHECK(is[0].found == "'abc'");
  CHECK(is[1].line == 13);
  CHECK(is[1].expected.find("field 9 (relative humidity) a number in [0, 110] %") != std::string::npos);
  CHECK(is[1].found == "'120'");
}

TEST_CASE("epw: wrong field count, out-of-order hour, bad header") {
  {
    ParseIssues is;
    parse_epw(make_epw([](int k, std::string& r) {
                if (k == 20) r = "1999,1,1,21,0,?9,1.0,2.0,3.0,100000\n";  // 10 fields
              }),
              is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 29);
    CHECK(is[0].found == "10 fields");
  }
  {
    ParseIssues is;
    parse_epw(make_epw([](int k, std::string& r) {
                if (k == 30) set_field(r, 4, "8");  // Jan 2 hour 7 expected
              }),
              is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 39);
    CHECK(is[0].expected == "fields 2-4 (month, day, hour) in calendar order: month 1, day 2, hour 7");
    CHECK(is[0].found == "month 1, day 2, hour 8");
  }
  {
    ParseIssues is;
    std::string t = make_epw();
    t.replace(0, 8, "LOCATON,");
    parse_epw(t, is);
    REQUIRE_FALSE(is.empty());
    CHECK(is[0].line == 1);
    CHECK(is[0].expected == "header line 1 starting with LOCATION");
  }
  {
    ParseIssues is;
    std::string t = make_epw();
    const auto p = t.find("DATA PERIODS,1,1");
    t.replace(p, 16, "DATA PERIODS,1,4");
    parse_epw(t, is);
    REQUIRE(is.size() >= 1);
    CHECK(is[0].line == 8);
    CHECK(is[0].expected.find("records per hour") != std::string::npos);
  }
}

TEST_CASE("epw: truncated, empty and binary input") {
  {
    ParseIssues is;
    parse_epw(make_epw(nullptr, 100), is);  // 100 rows: lines 9..108
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 109);
    CHECK(is[0].expected == "8760 hourly rows (lines 9 to 8768)");
    CHECK(is[0].found == "end of file after 100 rows");
  }
  {
    ParseIssues is;
    parse_epw(std::string(kHeader).substr(0, 60), is);  // cut inside the header
    REQUIRE(is.size() >= 1);
    CHECK(is.back().found == "end of file");
  }
  {
    ParseIssues is;
    parse_epw("", is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 1);
    CHECK(is[0].found == "an empty file");
  }
  {
    ParseIssues is;
    std::string bin = make_epw(nullptr, 50);
    bin[bin.find("1999,1,3,") + 2] = '\0';  // row k=48 (line 57), column 3
    parse_epw(bin, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 57);
    CHECK(is[0].found == "a binary byte 0x00 at column 3");
  }
  {
    ParseIssues is;
    const std::string garbage("\x7f" "ELF\x02\x01\x01\x00\x00", 9);
    parse_epw(garbage, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 1);
    CHECK(is[0].expected.find("text") != std::string::npos);
  }
}

TEST_CASE("epw: issues are capped and the rest counted") {
  ParseIssues is;
  parse_epw(make_epw([](int k, std::string& r) {
              if (k < 200) set_field(r, 7, "x");
            }),
            is);
  REQUIRE(is.size() == kMaxParseIssues + 1);
  CHECK(is.back().line == 9 + kMaxParseIssues);
  CHECK(is.back().found == "150 more from this line on");
}

TEST_CASE("epw: CRLF line endings and a leap year") {
  {
    std::string t = make_epw();
    std::string crlf;
    for (char ch : t) {
      if (ch == '\n') crlf += '\r';
      crlf += ch;
    }
    ParseIssues is;
    const EpwWeather w = parse_epw(crlf, is);
    REQUIRE(is.empty());
    CHECK(w.hours.size() == 8760);
  }
  {
    std::string s = kHeader;
    int k = 0;
    for (int m = 1; m <= 12; ++m)
      for (int d = 1; d <= kDim[m - 1] + (m == 2 ? 1 : 0); ++d)
        for (int h = 1; h <= 24; ++h) s += row(k++, m, d, h);
    ParseIssues is;
    const EpwWeather w = parse_epw(s, is);
    REQUIRE(is.empty());
    CHECK(w.leap_year);
    CHECK(w.hours.size() == 8784);
    // day index 59 (0-based) is Feb 29
    CHECK(w.hours[59 * 24].month == 2);
    CHECK(w.hours[59 * 24].day == 29);
    CHECK(w.hours[60 * 24].month == 3);
  }
}
