#pragma once
/**
 * @file epw.h
 * @brief EnergyPlus Weather (EPW) files: parse hourly typical-year weather and query it at any time.
 *
 * ## Format (what is read)
 *
 * An EPW file is comma-separated text: 8 header lines, then one row per hour of the year.
 *
 * | line | record                   | what dctwin takes                                        |
 * | ---- | ------------------------ | -------------------------------------------------------- |
 * | 1    | LOCATION                 | city, region, country, source, WMO, latitude (deg, + N), longitude (deg, + E), time zone (h from GMT), elevation (m) |
 * | 2-7  | DESIGN CONDITIONS, TYPICAL/EXTREME PERIODS, GROUND TEMPERATURES, HOLIDAYS/DAYLIGHT SAVINGS, COMMENTS 1, COMMENTS 2 | keyword checked only |
 * | 8    | DATA PERIODS             | number of periods (must be 1), records per hour (must be 1) |
 * | 9... | hourly rows              | fields below                                             |
 *
 * Hourly row fields (1-based, EPW data dictionary), with the ranges and missing-value codes of
 * the EnergyPlus "Auxiliary Programs" documentation, chapter "Weather Converter Program",
 * section "EnergyPlus Weather File (EPW) Data Dictionary":
 *
 * | field | name                 | unit | valid range       | missing when >= |
 * | ----- | -------------------- | ---- | ----------------- | --------------- |
 * | 1     | year                 | -    | any integer (ignored: typical years mix source years) | - |
 * | 2     | month                | -    | 1..12             | -               |
 * | 3     | day                  | -    | 1..days in month  | -               |
 * | 4     | hour                 | -    | 1..24             | -               |
 * | 5     | minute               | -    | 0..60 (ignored)   | -               |
 * | 6     | data source flags    | -    | text (ignored)    | -               |
 * | 7     | dry-bulb temperature | °C   | (-70, 70)         | 99.9            |
 * | 8     | dew-point temperature| °C   | (-70, 70)         | 99.9            |
 * | 9     | relative humidity    | %    | [0, 110]          | 999             |
 * | 10    | station pressure     | Pa   | (31000, 120000)   | 999999          |
 * | 22    | wind speed           | m/s  | [0, 40]           | 999             |
 *
 * A row must have between 22 and 35 fields (35 in the data dictionary; the fields after 22 are
 * not read), and every row the same count as the first one.
 *
 * ## Time convention
 *
 * EPW hours are hour-ending: the row with hour h covers the interval (h-1):00 to h:00 local
 * standard time (no daylight saving). dctwin places the value of row k (0-based, k = 0 is
 * Jan 1 hour 1) at t_k = (k + 1) * 3600 s after Jan 1 00:00 and interpolates linearly between
 * consecutive rows:
 *
 *     x = t / 3600 - 1;   k = floor(x);   w = x - k
 *     v(t) = (1 - w) * v_k + w * v_{k+1}
 *
 * Before the first value (0 <= t < 3600 s) the last row of the year (Dec 31 hour 24, i.e.
 * Jan 1 00:00) is the left neighbour: a typical year is treated as periodic, and t is taken
 * modulo the year's length (365 or 366 days), so multi-year runs repeat the year. Temperatures
 * and pressure are instantaneous readings at the end of the hour in the source data sets, so
 * linear interpolation is the natural reading. (EnergyPlus also blends the previous and the
 * current hour's values for sub-hourly time steps; we did not check its exact weighting.)
 *
 * ## Missing values
 *
 * A value at or above its missing code (table above), or an empty field, is "missing". The
 * Weather Converter documentation says missing values are replaced by "reasonable values,
 * calculated values or the last good value". dctwin replaces each missing value by linear
 * interpolation in time between the nearest valid values of the same field before and after it
 * (the nearest valid value is held at the start and end of the year; no wrap-around), and
 * reports per field how many values were missing and the longest run of missing hours, so a
 * caller can refuse a file with long gaps. If a field has no valid value at all, that is an
 * error, except station pressure, which is then set to the standard atmosphere at the
 * elevation of the LOCATION line (ASHRAE Handbook Fundamentals, ch. 1, eq. 3):
 *
 *     p = 101325 * (1 - 2.25577e-5 * Z)^5.2559     Pa, Z in m
 *
 * A value outside its valid range that is not a missing code is an error (it is not clipped).
 *
 * ## Errors
 *
 * Every problem gives one ParseIssue {line, expected, found}; at most kMaxParseIssues are listed,
 * then one entry counts the rest. Binary content (a NUL or other control byte) gives one issue
 * at its line and stops. The file must hold 8760 rows (8784 when it contains Feb 29) in
 * calendar order, month/day/hour exactly as expected row by row. Sub-hourly files (records per
 * hour > 1) and multi-period files are refused with a clear issue (not supported yet).
 *
 * ## How to use
 *
 *     ParseIssues issues;
 *     EpwWeather w = parse_epw(text, issues);      // text: the file's contents
 *     if (!issues.empty()) { ... report ... }       // w is only meaningful when issues is empty
 *     EpwConditions c = epw_conditions_at(w, 200.5 * 86400.0);
 *
 * sim/input/weather_file.h loads a file by path and throws InputError on issues.
 *
 * ## Accuracy
 *
 * The parser reproduces the file; accuracy is that of the data set. Typical-year files (TMY3,
 * IWEC) are built from representative months of different years: they carry typical, not
 * extreme, conditions and must not be used alone to size heat rejection (use the design
 * conditions of design_conditions.h). Linear interpolation between hourly readings misses
 * sub-hourly fluctuations (cloud transients, gusts); over an hour the dry-bulb rarely moves by
 * more than 1-3 K, which is the size of error a reader should expect between hours. Wet-bulb
 * temperature is not in the EPW; compute it from dry-bulb, dew point or RH and pressure with
 * the psychrometrics model.
 *
 * ## Source
 *
 * U.S. DOE, EnergyPlus documentation, "Auxiliary Programs", chapter "Weather Converter
 * Program", section "EnergyPlus Weather File (EPW) Data Dictionary" (field list, ranges,
 * missing codes, hour convention); ASHRAE Handbook Fundamentals (2009+), ch. 1, eq. 3 (standard
 * atmosphere pressure).
 */
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "models/text/parse_issue.h"

namespace dctwin::weather {

using text::ParseIssue;
using text::ParseIssues;
using text::kMaxParseIssues;


struct EpwLocation {
  std::string city;
  std::string region;
  std::string country;
  std::string source;       ///< data source, e.g. "TMY3", "IWEC"
  std::string wmo;          ///< station number, as text
  double latitude_deg = 0;  ///< + North
  double longitude_deg = 0; ///< + East
  double time_zone_h = 0;   ///< hours from GMT
  double elevation_m = 0;
};

/// One hourly row after missing values were filled (see the header text).
struct EpwHour {
  int month = 0, day = 0, hour = 0;  ///< hour 1..24, hour-ending
  double dry_bulb_c = 0;
  double dew_point_c = 0;
  double rel_humidity_pct = 0;
  double pressure_pa = 0;
  double wind_speed_m_s = 0;
};

struct MissingStats {
  std::size_t count = 0;        ///< values that were missing and were filled
  std::size_t longest_run_h = 0;///< longest run of consecutive missing hours
};

enum class EpwField { DryBulb = 0, DewPoint, RelHumidity, Pressure, WindSpeed };
inline constexpr std::size_t kEpwFieldCount = 5;

struct EpwWeather {
  EpwLocation location;
  std::vector<EpwHour> hours;  ///< 8760 or 8784 rows, calendar order
  bool leap_year = false;      ///< true when the file holds Feb 29 (8784 rows)
  std::array<MissingStats, kEpwFieldCount> missing{};  ///< indexed by EpwField
  bool pressure_from_elevation = false;  ///< no valid pressure at all: standard atmosphere used
  const MissingStats& missing_of(EpwField f) const { return missing[static_cast<std::size_t>(f)]; }
};

/// Conditions at one instant, linearly interpolated between hourly rows.
struct EpwConditions {
  double dry_bulb_c;
  double dew_point_c;
  double rel_humidity_pct;
  double pressure_pa;
  double wind_speed_m_s;
};

/// Parses EPW text. Problems are appended to `issues`; the result is only meaningful when no
/// problem was added.
EpwWeather parse_epw(std::string_view text, ParseIssues& issues);

/// Conditions at `t_s` seconds after Jan 1 00:00 local standard time (taken modulo the year).
/// Precondition: w.hours is not empty.
EpwConditions epw_conditions_at(const EpwWeather& w, double t_s);

/// Wall-clock local standard time of `t_s` seconds after Jan 1 00:00 (taken modulo the year, as
/// epw_conditions_at) from the file's own calendar: the month and day of the record whose hour
/// holds t (record k, hour-ending H, covers [k, k + 1) h, clock H - 1:00 to H:00), as ISO 8601
/// without a year ("--MM-DDThh:mm:ss", fractional seconds when t has them; a typical-year file
/// mixes years). Precondition: w.hours is not empty.
std::string epw_local_time(const EpwWeather& w, double t_s);

/// Length of the file's year in seconds (hours.size() * 3600).
double epw_year_s(const EpwWeather& w);

/// Mean of the hourly dry-bulb values (°C).
double epw_annual_mean_dry_bulb_c(const EpwWeather& w);

/// Index into w.hours of the hottest hour (the first one when several tie).
std::size_t epw_hottest_hour_index(const EpwWeather& w);

/// Standard-atmosphere pressure (Pa) at elevation `elevation_m` (ASHRAE Fundamentals ch. 1 eq. 3).
double standard_pressure_pa(double elevation_m);

}  // namespace dctwin::weather
