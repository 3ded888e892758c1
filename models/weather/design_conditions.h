#pragma once
/**
 * @file design_conditions.h
 * @brief ASHRAE climatic design conditions from EnergyPlus design-day (.ddy) and statistics (.stat) files.
 *
 * ## What design conditions are
 *
 * The ASHRAE Handbook Fundamentals (ch. 14, "Climatic Design Information") tabulates, per
 * weather station and from a ~30-year record, the values exceeded during a given fraction of
 * the year's 8760 hours. Heat rejection is sized on the cooling ones:
 *
 * | name (.stat column)  | meaning                                                          | unit |
 * | -------------------- | ---------------------------------------------------------------- | ---- |
 * | DB004                | dry-bulb exceeded 0.4 % of the year (35 h)                        | °C   |
 * | WB_DB004             | mean wet-bulb coincident with DB004 (MCWB)                        | °C   |
 * | WB004                | wet-bulb exceeded 0.4 % of the year (cooling towers)              | °C   |
 * | DB_WB004             | mean dry-bulb coincident with WB004 (MCDB)                        | °C   |
 * | DBR                  | mean daily dry-bulb range of the hottest month                    | K    |
 * | HottestMonth         | month with the highest mean dry-bulb                              | 1-12 |
 * | DB996 (Heating)      | dry-bulb at or above which 99.6 % of the year lies                | °C   |
 *
 * dctwin keeps these in DesignConditions, whichever file they come from.
 *
 * ## .ddy (EnergyPlus IDF objects)
 *
 * A .ddy file is EnergyPlus input syntax: objects are comma-separated fields ended by ';',
 * '!' starts a comment to the end of the line. parse_ddy reads `Site:Location` (name,
 * latitude, longitude, time zone, elevation) and every `SizingPeriod:DesignDay` with the
 * field order of EnergyPlus 8 and later (the one in files produced by the Weather Converter
 * since 2009): 1 name, 2 month, 3 day, 4 day type, 5 maximum dry-bulb (°C), 6 daily dry-bulb
 * range (K), 7-8 range modifier, 9 humidity condition type, 10 wet-bulb or dew point at maximum
 * dry-bulb (°C), 11 schedule, 12 humidity ratio (kg/kg), 13 enthalpy (J/kg), 14 daily wet-bulb
 * range (K), 15 barometric pressure (Pa), 16 wind speed (m/s); later fields are not read. Other
 * objects (RunPeriodControl:DaylightSavingTime, ...) are skipped. design_conditions_from_ddy
 * picks the design days by the ending of their names, as the Weather Converter writes them:
 *
 *     "Ann Clg .4% Condns DB=>MWB"  -> DB004 = max dry-bulb, MCWB = field 10, DBR = field 6
 *     "Ann Clg .4% Condns WB=>MDB"  -> WB004 = field 10, MCDB = max dry-bulb
 *     "Ann Htg 99.6% Condns DB"     -> DB996 = max dry-bulb
 *
 * The hottest month is the month of the DB=>MWB design day.
 *
 * ## .stat (Weather Converter statistics report)
 *
 * parse_stat reads the station block ("Location --", the "{N 41° 58'} {W 87° 55'} {GMT -6.0
 * Hours}" line, "Elevation --", "Standard Pressure at Elevation --", "WMO Station"), the three
 * tab-separated "Design Stat" tables (rows Heating, Cooling, Extremes; every named column is
 * kept) and the section "Monthly Statistics for Dry Bulb temperatures" (rows Maximum, its
 * Day:Hour, Minimum, its Day:Hour, Daily Avg; 12 months each). The .stat holds no annual mean:
 * `annual_mean_dry_bulb_c` is computed here as the day-weighted mean of the 12 monthly "Daily
 * Avg" values (365-day year), which equals the mean of the 8760 hourly values up to the
 * rounding of the monthly values to 0.1 K. The hottest hour is the largest monthly Maximum with
 * its Day:Hour (hour-ending, 1-24; the first month wins a tie).
 *
 * ## Errors
 *
 * One ParseIssue per problem, with the line (0 for a section or object missing from the whole
 * file). A file that is not text (control bytes) gives one issue and stops.
 *
 * ## How to use
 *
 *     ParseIssues issues;
 *     DdyFile ddy = parse_ddy(ddy_text, issues);
 *     DesignConditions dc = design_conditions_from_ddy(ddy, issues);
 *     StatSummary st = parse_stat(stat_text, issues);   // st.design holds the same fields
 *
 * ## Accuracy
 *
 * The numbers are those of the ASHRAE tables as written by the EnergyPlus Weather Converter;
 * parsing adds no error. The .stat values are rounded to 0.1 K. Design conditions describe the
 * long-term record of the station, while an EPW typical year is a composite of typical months:
 * the EPW's hottest hour is usually below DB004's 35-hour exceedance level plus a margin, and
 * should not replace it for sizing. The .stat and .ddy of a station also carry its design data
 * edition (e.g. "Climate Design Data 2009 ASHRAE Handbook"); values change between editions.
 *
 * ## Source
 *
 * ASHRAE Handbook Fundamentals (2009), ch. 14, "Climatic Design Information" (definitions of the
 * 0.4 % / 99.6 % conditions); EnergyPlus Input Output Reference, `SizingPeriod:DesignDay` (field
 * order); EnergyPlus Auxiliary Programs, "Weather Converter Program" (the .stat report).
 */
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "models/text/parse_issue.h"

namespace dctwin::weather {

using text::ParseIssue;
using text::ParseIssues;
using text::kMaxParseIssues;


struct DesignConditions {
  double cooling_db_004_c = 0;     ///< DB004, °C
  double cooling_mcwb_004_c = 0;   ///< mean coincident wet-bulb with DB004, °C
  double cooling_wb_004_c = 0;     ///< WB004, °C
  double cooling_mcdb_wb004_c = 0; ///< mean coincident dry-bulb with WB004, °C
  double cooling_db_range_k = 0;   ///< mean daily dry-bulb range, hottest month, K
  int hottest_month = 0;           ///< 1-12
  double heating_db_996_c = 0;     ///< DB996, °C
};

struct SiteLocation {
  std::string name;
  double latitude_deg = 0;   ///< + North
  double longitude_deg = 0;  ///< + East
  double time_zone_h = 0;
  double elevation_m = 0;
};

struct DesignDay {
  std::string name;
  std::size_t line = 0;        ///< line of the object's name field
  int month = 0, day = 0;
  std::string day_type;        ///< SummerDesignDay, WinterDesignDay, ...
  double max_dry_bulb_c = 0;
  double daily_range_k = 0;
  std::string humidity_type;   ///< Wetbulb, Dewpoint, Enthalpy, HumidityRatio, ...
  bool has_humidity_value = false;
  double humidity_value_c = 0; ///< field 10: wet-bulb or dew point at max dry-bulb, °C
  bool has_enthalpy = false;
  double enthalpy_j_kg = 0;
  bool has_pressure = false;
  double pressure_pa = 0;
  bool has_wind_speed = false;
  double wind_speed_m_s = 0;
};

struct DdyFile {
  bool has_location = false;
  SiteLocation location;
  std::vector<DesignDay> days;
};

/// Parses .ddy text (see the header). Problems go to `issues`.
DdyFile parse_ddy(std::string_view text, ParseIssues& issues);

/// The design day whose name ends with `suffix` (case-insensitive, spaces compared as one);
/// nullptr when none.
const DesignDay* find_design_day(const DdyFile& ddy, std::string_view suffix);

/// The cooling 0.4 % and heating 99.6 % conditions from the named design days; a missing one is
/// an issue at line 0.
DesignConditions design_conditions_from_ddy(const DdyFile& ddy, ParseIssues& issues);

struct StatSummary {
  std::string station;     ///< text after "Location --"
  std::string wmo;         ///< "WMO Station" number
  double latitude_deg = 0, longitude_deg = 0, time_zone_h = 0;
  double elevation_m = 0;
  double standard_pressure_pa = 0;
  /// every column of the Design Stat tables, by row ("Heating", "Cooling", "Extremes") and name
  std::map<std::string, std::map<std::string, double>> design_stat;
  DesignConditions design;
  std::array<double, 12> db_max_c{};       ///< monthly maximum dry-bulb
  std::array<int, 12> db_max_day{};        ///< its day of month
  std::array<int, 12> db_max_hour{};       ///< its hour (1-24, hour-ending)
  std::array<double, 12> db_min_c{};
  std::array<double, 12> db_daily_avg_c{}; ///< monthly mean of the daily mean dry-bulb
  double annual_mean_dry_bulb_c = 0;       ///< day-weighted mean of db_daily_avg_c (computed)
  double hottest_c = 0;                    ///< largest monthly maximum
  int hottest_month = 0, hottest_day = 0, hottest_hour = 0;
};

/// Parses .stat text (see the header). Problems go to `issues`.
StatSummary parse_stat(std::string_view text, ParseIssues& issues);

}  // namespace dctwin::weather
