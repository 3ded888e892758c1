#include <doctest/doctest.h>

#include <string>

#include "models/weather/design_conditions.h"

using namespace dctwin::weather;

namespace {

// Excerpt in the layout of the EnergyPlus Weather Converter .ddy files (values: Chicago O'Hare).
const char* kDdy = R"( ! comment line
 Site:Location,
  Chicago Ohare Intl Ap_IL_USA Design_Conditions,     !- Location Name
      41.98,     !- Latitude {N+ S-}
     -87.92,     !- Longitude {W- E+}
      -6.00,     !- Time Zone Relative to GMT {GMT+/-}
     201.00;     !- Elevation {m}
 RunPeriodControl:DaylightSavingTime,
   2nd Sunday in March,    !- StartDate
   2nd Sunday in November;    !- EndDate
 SizingPeriod:DesignDay,
  Chicago Ohare Intl Ap Ann Htg 99.6% Condns DB,     !- Name
          1,      !- Month
         21,      !- Day of Month
  WinterDesignDay,!- Day Type
      -20.0,      !- Maximum Dry-Bulb Temperature {C}
        0.0,      !- Daily Dry-Bulb Temperature Range {C}
 DefaultMultipliers, !- Dry-Bulb Temperature Range Modifier Type
           ,      !- Dry-Bulb Temperature Range Modifier Schedule Name
    Wetbulb,      !- Humidity Condition Type
      -20.0,      !- Wetbulb at Maximum Dry-Bulb {C}
           ,      !- Humidity Indicating Day Schedule Name
           ,      !- Humidity Ratio at Maximum Dry-Bulb {kgWater/kgDryAir}
           ,      !- Enthalpy at Maximum Dry-Bulb {J/kg}
           ,      !- Daily Wet-Bulb Temperature Range {deltaC}
     98934.,      !- Barometric Pressure {Pa}
        4.9,      !- Wind Speed {m/s}
        270,      !- Wind Direction {Degrees; N=0, S=180}
         No,      !- Rain {Yes/No}
         No,      !- Snow on ground {Yes/No}
         No,      !- Daylight Savings Time Indicator
  ASHRAEClearSky, !- Solar Model Indicator
           ,      !- Beam Solar Day Schedule Name
           ,      !- Diffuse Solar Day Schedule Name
           ,      !- taub
           ,      !- taud
       0.00;      !- Clearness {0.0 to 1.1}
 SizingPeriod:DesignDay,
  Chicago Ohare Intl Ap Ann Clg .4% Condns DB=>MWB,     !- Name
          7,      !- Month
         21,      !- Day of Month
  SummerDesignDay,!- Day Type
       33.3,      !- Maximum Dry-Bulb Temperature {C}
       10.5,      !- Daily Dry-Bulb Temperature Range {C}
 DefaultMultipliers, !- Dry-Bulb Temperature Range Modifier Type
           ,      !- Dry-Bulb Temperature Range Modifier Schedule Name
    Wetbulb,      !- Humidity Condition Type
       23.7,      !- Wetbulb at Maximum Dry-Bulb {C}
           ,      !- Humidity Indicating Day Schedule Name
           ,      !- Humidity Ratio at Maximum Dry-Bulb {kgWater/kgDryAir}
           ,      !- Enthalpy at Maximum Dry-Bulb {J/kg}
           ,      !- Daily Wet-Bulb Temperature Range {deltaC}
     98934.,      !- Barometric Pressure {Pa}
        5.2,      !- Wind Speed {m/s}
        230;      !- Wind Direction {Degrees; N=0, S=180}
 SizingPeriod:DesignDay,
  Chicago Ohare Intl Ap Ann Clg .4% Condns WB=>MDB,     !- Name
          7,      !- Month
         21,      !- Day of Month
  SummerDesignDay,!- Day Type
       31.2,      !- Maximum Dry-Bulb Temperature {C}
       10.5,      !- Daily Dry-Bulb Temperature Range {C}
 DefaultMultipliers, !- Dry-Bulb Temperature Range Modifier Type
           ,      !- Dry-Bulb Temperature Range Modifier Schedule Name
    Wetbulb,      !- Humidity Condition Type
       25.5,      !- Wetbulb at Maximum Dry-Bulb {C}
           ,      !- Humidity Indicating Day Schedule Name
           ,      !- Humidity Ratio
    79200.0,      !- Enthalpy at Maximum Dry-Bulb {J/kg}
           ,      !- Daily Wet-Bulb Temperature Range {deltaC}
     98934.;      !- Barometric Pressure {Pa}
)";

// Excerpt in the layout of the Weather Converter .stat report (tab-separated tables).
std::string stat_text() {
  return std::string(" -EnergyPlus Weather Converter V7.2.0.007\n"
                     " Location -- Chicago Ohare Intl Ap IL USA  \n"
                     "      {N 41\xB0 58'} {W  87\xB0 55'} {GMT -6.0 Hours}\n"
                     " Elevation --   201m above sea level\n"
                     " Standard Pressure at Elevation --  98934Pa\n"
                     "\n"
                     " WMO Station 725300\n"
                     "\n"
                     "    \tDesign Stat\tColdestMonth\tDB996\tDB990\t\n"
                     "    \tUnits\t{}\t{\xB0" "C}\t{\xB0" "C}\t\n"
                     "    \tHeating\t1\t-20\t-16.6\t\n"
                     "\n"
                     "    \tDesign Stat\tHottestMonth\tDBR\tDB004\tWB_DB004\tWB004\tDB_WB004\t\n"
                     "    \tUnits\t{}\t{\xB0" "C}\t{\xB0" "C}\t{\xB0" "C}\t{\xB0" "C}\t{\xB0" "C}\t\n"
                     "    \tCooling\t7\t10.5\t33.3\t23.7\t25.5\t31.2\t\n"
                     "\n"
                     " - Monthly Statistics for Dry Bulb temperatures \xB0" "C\n"
                     " \t           \tJan\tFeb\tMar\tApr\tMay\tJun\tJul\tAug\tSep\tOct\tNov\tDec\t\n"
                     " \tMaximum \t 12.2\t 14.4\t 21.1\t 31.1\t 30.6\t 33.3\t 35.0\t 31.7\t 31.7\t 26.1\t 21.7\t 11.1\t\n"
                     " \t Day:Hour\t21:15\t23:10\t27:15\t15:15\t 5:13\t 8:13\t19:15\t 3:14\t27:16\t21:14\t 2:13\t 7:15\t\n"
                     "\n"
                     " \tMinimum \t-22.8\t-21.7\t -7.8\t -3.9\t  1.7\t  6.7\t 11.7\t 11.7\t  6.7\t -0.6\t-16.1\t-18.3\t\n"
                     " \t Day:Hour\t 7:07\t 6:05\t18:03\t 4:24\t 9:05\t25:04\t 3:04\t 7:01\t25:06\t24:03\t26:07\t20:07\t\n"
                     "\n"
                     " \tDaily Avg\t-4.6 \t-2.5 \t3.8  \t10.0 \t15.3 \t21.1 \t24.1 \t21.8 \t18.1 \t11.0 \t4.7  \t-3.7 \t\n"
                     "\n"
                     "   - Maximum Dry Bulb temperature of  35.0\xB0" "C on Jul 19\n");
}

}  // namespace

TEST_CASE("ddy: location and design days") {
  ParseIssues is;
  const DdyFile d = parse_ddy(kDdy, is);
  REQUIRE(is.empty());
  REQUIRE(d.has_location);
  CHECK(d.location.name == "Chicago Ohare Intl Ap_IL_USA Design_Conditions");
  CHECK(d.location.latitude_deg == doctest::Approx(41.98));
  CHECK(d.location.longitude_deg == doctest::Approx(-87.92));
  CHECK(d.location.time_zone_h == doctest::Approx(-6.0));
  CHECK(d.location.elevation_m == doctest::Approx(201.0));
  REQUIRE(d.days.size() == 3);
  const DesignDay* c = find_design_day(d, "Ann Clg .4% Condns DB=>MWB");
  REQUIRE(c != nullptr);
  CHECK(c->month == 7);
  CHECK(c->day == 21);
  CHECK(c->day_type == "SummerDesignDay");
  CHECK(c->max_dry_bulb_c == doctest::Approx(33.3));
  CHECK(c->daily_range_k == doctest::Approx(10.5));
  CHECK(c->humidity_type == "Wetbulb");
  CHECK(c->humidity_value_c == doctest::Approx(23.7));
  CHECK(c->pressure_pa == doctest::Approx(98934.0));
  CHECK(c->wind_speed_m_s == doctest::Approx(5.2));
  CHECK(c->line == 39);
  const DesignDay* e = find_design_day(d, "ann clg .4%  condns wb=>mdb");  // case and spaces
  REQUIRE(e != nullptr);
  CHECK(e->has_enthalpy);
  CHECK(e->enthalpy_j_kg == doctest::Approx(79200.0));
  CHECK(find_design_day(d, "Ann Clg 1% Condns DB=>MWB") == nullptr);

  const DesignConditions dc = design_conditions_from_ddy(d, is);
  REQUIRE(is.empty());
  CHECK(dc.cooling_db_004_c == doctest::Approx(33.3));
  CHECK(dc.cooling_mcwb_004_c == doctest::Approx(23.7));
  CHECK(dc.cooling_wb_004_c == doctest::Approx(25.5));
  CHECK(dc.cooling_mcdb_wb004_c == doctest::Approx(31.2));
  CHECK(dc.cooling_db_range_k == doctest::Approx(10.5));
  CHECK(dc.hottest_month == 7);
  CHECK(dc.heating_db_996_c == doctest::Approx(-20.0));
}

TEST_CASE("ddy: errors name the line") {
  {
    std::string t = kDdy;
    t.replace(t.find("       33.3,"), 12, "       hot ,");
    ParseIssues is;
    parse_ddy(t, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 43);
    CHECK(is[0].expected.find("field 5 (maximum dry-bulb, °C)") != std::string::npos);
    CHECK(is[0].found == "'hot'");
  }
  {
    std::string t = kDdy;
    t.replace(t.rfind("    Wetbulb,"), 12, "    Humid,  ");
    ParseIssues is;
    parse_ddy(t, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 65);
    CHECK(is[0].found == "'Humid'");
  }
  {
    std::string t = kDdy;
    t.resize(t.rfind("98934.;"));  // truncated inside the last object
    ParseIssues is;
    parse_ddy(t, is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].expected == "an object ended by ';'");
    CHECK(is[0].line == 56);  // where the unfinished object starts
  }
  {
    ParseIssues is;
    const DdyFile d = parse_ddy(" Site:Location, x, 1, 2, 3, 4;\n", is);
    REQUIRE(is.empty());
    design_conditions_from_ddy(d, is);
    REQUIRE(is.size() == 3);
    CHECK(is[0].line == 0);
    CHECK(is[0].expected.find("Ann Clg .4% Condns DB=>MWB") != std::string::npos);
    CHECK(is[0].found == "none");
  }
  {
    ParseIssues is;
    parse_ddy(std::string("Site:Location,\x01;", 16), is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].found == "a binary byte 0x01 at column 15");
  }
}

TEST_CASE("stat: station, design stat rows and monthly dry-bulb statistics") {
  ParseIssues is;
  const StatSummary s = parse_stat(stat_text(), is);
  REQUIRE(is.empty());
  CHECK(s.station == "Chicago Ohare Intl Ap IL USA");
  CHECK(s.wmo == "725300");
  // N 41° 58' = 41.9667; W 87° 55' = -87.9167
  CHECK(s.latitude_deg == doctest::Approx(41.0 + 58.0 / 60.0));
  CHECK(s.longitude_deg == doctest::Approx(-(87.0 + 55.0 / 60.0)));
  CHECK(s.time_zone_h == doctest::Approx(-6.0));
  CHECK(s.elevation_m == doctest::Approx(201.0));
  CHECK(s.standard_pressure_pa == doctest::Approx(98934.0));
  CHECK(s.design_stat.at("Heating").at("DB990") == doctest::Approx(-16.6));
  CHECK(s.design.cooling_db_004_c == doctest::Approx(33.3));
  CHECK(s.design.cooling_mcwb_004_c == doctest::Approx(23.7));
  CHECK(s.design.cooling_wb_004_c == doctest::Approx(25.5));
  CHECK(s.design.cooling_mcdb_wb004_c == doctest::Approx(31.2));
  CHECK(s.design.cooling_db_range_k == doctest::Approx(10.5));
  CHECK(s.design.hottest_month == 7);
  CHECK(s.design.heating_db_996_c == doctest::Approx(-20.0));
  CHECK(s.db_max_c[6] == doctest::Approx(35.0));
  CHECK(s.db_min_c[0] == doctest::Approx(-22.8));
  CHECK(s.db_daily_avg_c[11] == doctest::Approx(-3.7));
  // day-weighted: (31*-4.6 + 28*-2.5 + 31*3.8 + 30*10 + 31*15.3 + 30*21.1 + 31*24.1 + 31*21.8
  //               + 30*18.1 + 31*11 + 30*4.7 + 31*-3.7) / 365 = 3645.7 / 365 = 9.98822
  CHECK(s.annual_mean_dry_bulb_c == doctest::Approx(3645.7 / 365.0));
  CHECK(s.hottest_c == doctest::Approx(35.0));
  CHECK(s.hottest_month == 7);
  CHECK(s.hottest_day == 19);
  CHECK(s.hottest_hour == 15);
}

TEST_CASE("stat: errors") {
  {
    std::string t = stat_text();
    t.replace(t.find(" 35.0\t"), 6, " hot \t");
    ParseIssues is;
    parse_stat(t, is);
    REQUIRE(is.size() >= 1);
    CHECK(is[0].line == 19);
    CHECK(is[0].expected == "Maximum for Jul: a temperature in [-90, 70] °C");
    CHECK(is[0].found == "'hot'");
  }
  {
    std::string t = stat_text();
    t.replace(t.find("\t 3:14\t"), 7, "\t3-14\t");
    ParseIssues is;
    parse_stat(t, is);
    REQUIRE(is.size() >= 1);
    CHECK(is[0].line == 20);
    CHECK(is[0].found == "'3-14'");
  }
  {
    ParseIssues is;
    parse_stat(" Location -- nowhere\n", is);
    REQUIRE(is.size() >= 3);
    bool monthly = false;
    for (const auto& i : is) monthly = monthly || (i.line == 0 && i.expected.find("Monthly Statistics") != std::string::npos);
    CHECK(monthly);
  }
  {
    ParseIssues is;
    parse_stat(std::string("\0\0\0", 3), is);
    REQUIRE(is.size() == 1);
    CHECK(is[0].line == 1);
  }
}
