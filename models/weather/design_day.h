#pragma once
/**
 * @file design_day.h
 * @brief Built-in synthetic design-day climate: ASHRAE normalized daily dry-bulb profile.
 *
 * ## Equation
 *
 * With the design (peak) dry-bulb DB, the mean daily dry-bulb range DR and the ASHRAE fraction
 * f(h) of the daily range for hour h (table below):
 *
 *     T_db(h) = DB - f(h) * DR
 *     T_wb(h) = WB - f(h) * WBR          (WBR = 0: wet-bulb held at WB all day)
 *     T_wb    = min(T_wb, T_db)          (air cannot have a wet-bulb above its dry-bulb: saturated)
 *
 * f(h) is tabulated for whole hours of local standard time h = 1..24 (hour 24 = midnight). dctwin
 * places f(h) at clock time h:00 and interpolates linearly between whole hours, with 0:00 taking
 * the hour-24 value, so the profile is continuous and periodic over the day (the interpolation
 * between tabulated hours is our choice; ASHRAE gives hourly values only).
 *
 * ## ASHRAE fraction of daily range (Handbook Fundamentals 2009, ch. 14, Table 6)
 *
 * | h | 1    | 2    | 3    | 4    | 5    | 6    | 7    | 8    | 9    | 10   | 11   | 12   |
 * | f | 0.88 | 0.92 | 0.95 | 0.98 | 1.00 | 0.98 | 0.91 | 0.74 | 0.55 | 0.38 | 0.23 | 0.13 |
 * | h | 13   | 14   | 15   | 16   | 17   | 18   | 19   | 20   | 21   | 22   | 23   | 24   |
 * | f | 0.05 | 0.00 | 0.00 | 0.06 | 0.14 | 0.24 | 0.39 | 0.50 | 0.59 | 0.68 | 0.75 | 0.82 |
 *
 * The minimum (f = 1) is at 05:00, the maximum (f = 0) at 14:00-15:00. EnergyPlus uses the same
 * table as the default dry-bulb range multipliers of SizingPeriod:DesignDay.
 *
 * ## Parameters (DesignDayParams)
 *
 * | name                  | unit | meaning                                                        |
 * | --------------------- | ---- | -------------------------------------------------------------- |
 * | design_dry_bulb_c     | °C   | DB: peak dry-bulb of the day (e.g. the 0.4 % cooling DB004)    |
 * | daily_range_k         | K    | DR: mean daily dry-bulb range (e.g. DBR of the hottest month)  |
 * | coincident_wet_bulb_c | °C   | WB: wet-bulb at the peak (e.g. MCWB coincident with DB004)     |
 * | wet_bulb_range_k      | K    | WBR: daily wet-bulb range; 0 = wet-bulb held constant          |
 *
 * ## Wet-bulb: held or following the profile
 *
 * ASHRAE ch. 14 notes that wet-bulb follows the same normalized profile as dry-bulb, with its own
 * (smaller) daily range; the .stat reports it per month ("Wetbulb range - DB 5%"). With
 * wet_bulb_range_k > 0 the wet-bulb follows the profile; with 0 it is held at WB, which is
 * conservative (too warm at night) for cooling towers and evaporative equipment. EnergyPlus
 * itself, for a Wetbulb design day without a wet-bulb range, holds the humidity ratio instead,
 * which makes the wet-bulb fall somewhat at night; that needs psychrometrics and is left to the
 * caller. When the held wet-bulb exceeds the night dry-bulb, the result is saturated air
 * (wet-bulb = dry-bulb) and `saturated` is set, so a caller can see it happened.
 *
 * ## Validity
 *
 * A clear-sky summer (or winter) design day of a mid-latitude continental climate; DR >= 0,
 * WBR >= 0 (caller's job). The profile does not shift with solar noon, longitude within the time
 * zone, or daylight saving.
 *
 * ## How to use
 *
 *     DesignDayParams p = design_day_default();          // illustrative Chicago 0.4 % day
 *     DesignDayConditions c = design_day_at(p, 15 * 3600.0);   // 15:00 -> 33.3 °C
 *     DesignDayParams q = design_day_from(stat.design);        // from a parsed .stat or .ddy
 *
 * ## Accuracy
 *
 * The table is a statistical average profile of many US stations; a given site and day differ
 * by a few kelvin in the hours between minimum and maximum, and coastal or desert sites have
 * different shapes. For sizing heat rejection, the daily peak (DB, WB) matters more than the
 * shape, and those come from the station's design conditions. A design day repeats every
 * 24 h: it is a sizing case, not a year of weather (use an EPW for annual energy).
 *
 * ## Source
 *
 * ASHRAE Handbook Fundamentals (2009), ch. 14 "Climatic Design Information", Table 6 "Fraction
 * of Daily Temperature Range", p. 14.11, as cited by the EnergyPlus Engineering Reference,
 * "Climate Calculations" (design day temperature calculations). Default values: Chicago O'Hare
 * (WMO 725300) cooling 0.4 % conditions of the ASHRAE 2009 climatic design data (DB004 33.3 °C,
 * MCWB 23.7 °C, DBR 10.5 K), as written in the EnergyPlus chicago .ddy/.stat files.
 */
#include <array>

#include "models/weather/design_conditions.h"

namespace dctwin::weather {

/// ASHRAE Fundamentals 2009 ch. 14 Table 6: fraction of daily range, index 0 = hour 1 ... 23 = hour 24.
inline constexpr std::array<double, 24> kAshraeDailyRangeFraction = {
    0.88, 0.92, 0.95, 0.98, 1.00, 0.98, 0.91, 0.74, 0.55, 0.38, 0.23, 0.13,
    0.05, 0.00, 0.00, 0.06, 0.14, 0.24, 0.39, 0.50, 0.59, 0.68, 0.75, 0.82};

struct DesignDayParams {
  double design_dry_bulb_c;      ///< DB, °C
  double daily_range_k;          ///< DR, K
  double coincident_wet_bulb_c;  ///< WB, °C
  double wet_bulb_range_k = 0.0; ///< WBR, K (0 = held)
};

struct DesignDayConditions {
  double dry_bulb_c;
  double wet_bulb_c;
  bool saturated;  ///< the wet-bulb profile reached the dry-bulb and was set equal to it
};

/// Fraction of the daily range at `t_s` seconds after midnight (any t: taken modulo 86400 s).
double design_day_fraction(double t_s);

/// Dry-bulb and wet-bulb at `t_s` seconds after midnight of the design day (periodic, 24 h).
DesignDayConditions design_day_at(const DesignDayParams& p, double t_s);

/// Illustrative default: Chicago O'Hare 0.4 % cooling day (33.3 °C, 10.5 K, MCWB 23.7 °C, held).
DesignDayParams design_day_default();

/// The cooling 0.4 % day of parsed design conditions (DB004, DBR, MCWB; wet-bulb held).
DesignDayParams design_day_from(const DesignConditions& dc);

}  // namespace dctwin::weather
