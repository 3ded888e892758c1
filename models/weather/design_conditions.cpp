#include "models/weather/design_conditions.h"

#include <cctype>
#include <cmath>
#include <optional>

#include "models/text/text_fields.h"

namespace dctwin::weather {

namespace {

using text::Collector;
using text::fmt;
using text::quote;
using text::trim;

constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr const char* kMonthNames[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// ---- IDF objects (.ddy) ----------------------------------------------------------------------

struct Field {
  std::string text;
  std::size_t line;
};
struct Object {
  std::vector<Field> fields;  // fields[0] is the object type
};

std::vector<Object> idf_objects(const std::vector<text::Line>& lines, Collector& c) {
  std::vector<Object> objects;
  Object cur;
  std::string buf;
  std::size_t buf_line = 0;
  bool buf_started = false;
  for (const auto& l : lines) {
    std::string_view t = l.text;
    if (const auto bang = t.find('!'); bang != std::string_view::npos) t = t.substr(0, bang);
    for (char ch : t) {
      if (ch == ',' || ch == ';') {
        cur.fields.push_back({std::string(trim(buf)), buf_started ? buf_line : l.number});
        buf.clear();
        buf_started = false;
        if (ch == ';') {
          objects.push_back(std::move(cur));
          cur = {};
        }
        continue;
      }
      if (!buf_started && ch != ' ' && ch != '\t') {
        buf_started = true;
        buf_line = l.number;
      }
      buf += ch;
    }
    buf += ' ';
  }
  if (!cur.fields.empty() || !trim(buf).empty()) {
    const std::size_t line = cur.fields.empty() ? buf_line : cur.fields.front().line;
    c.add(line, "an object ended by ';'",
          "end of file inside " + quote(cur.fields.empty() ? trim(buf) : std::string_view(cur.fields[0].text)));
  }
  return objects;
}

std::optional<double> num_field(const Object& o, std::size_t i, const char* what, double lo, double hi,
                                bool required, Collector& c) {
  if (i >= o.fields.size() || o.fields[i].text.empty()) {
    if (required)
      c.add(i < o.fields.size() ? o.fields[i].line : o.fields.back().line,
            o.fields[0].text + " field " + std::to_string(i) + " (" + what + "): a number in [" + fmt(lo) + ", " +
                fmt(hi) + "]",
            i < o.fields.size() ? "an empty field" : "end of object");
    return std::nullopt;
  }
  const auto v = text::parse_double(o.fields[i].text);
  if (!v || *v < lo || *v > hi) {
    c.add(o.fields[i].line,
          o.fields[0].text + " field " + std::to_string(i) + " (" + what + "): a number in [" + fmt(lo) + ", " +
              fmt(hi) + "]",
          quote(o.fields[i].text));
    return std::nullopt;
  }
  return v;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char ch : trim(s)) {
    if (ch == ' ' || ch == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

// ---- .stat -------------------------------------------------------------------------------------

std::vector<std::string_view> tab_cells(std::string_view line) {
  std::vector<std::string_view> cells = text::split_trimmed(line, '\t');
  // drop leading empty cells (lines start with spaces and a tab)
  std::size_t first = 0;
  while (first < cells.size() && cells[first].empty()) ++first;
  cells.erase(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(first));
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
  return cells;
}

// Numbers after the row label; all 12 must be present.
bool twelve_numbers(const text::Line& l, std::string_view label, std::array<double, 12>& out, Collector& c) {
  auto cells = tab_cells(l.text);
  if (cells.size() != 13) {
    c.add(l.number, std::string(label) + " row with 12 monthly values", std::to_string(cells.size() - 1) + " values");
    return false;
  }
  for (std::size_t m = 0; m < 12; ++m) {
    const auto v = text::parse_double(cells[m + 1]);
    if (!v || *v < -90.0 || *v > 70.0) {
      c.add(l.number, std::string(label) + " for " + kMonthNames[m] + ": a temperature in [-90, 70] °C",
            quote(cells[m + 1]));
      return false;
    }
    out[m] = *v;
  }
  return true;
}

bool twelve_day_hours(const text::Line& l, std::array<int, 12>& day, std::array<int, 12>& hour, Collector& c) {
  auto cells = tab_cells(l.text);
  if (cells.size() != 13) {
    c.add(l.number, "Day:Hour row with 12 monthly values", std::to_string(cells.size() - 1) + " values");
    return false;
  }
  for (std::size_t m = 0; m < 12; ++m) {
    const auto parts = text::split(cells[m + 1], ':');
    const auto d = parts.size() == 2 ? text::parse_int(parts[0]) : std::nullopt;
    const auto h = parts.size() == 2 ? text::parse_int(parts[1]) : std::nullopt;
    if (!d || !h || *d < 1 || *d > 31 || *h < 1 || *h > 24) {
      c.add(l.number, std::string("Day:Hour for ") + kMonthNames[m] + ": day:hour with hour 1-24", quote(cells[m + 1]));
      return false;
    }
    day[m] = *d;
    hour[m] = *h;
  }
  return true;
}

// Parses "{N 41° 58'}" style: hemisphere letter, degrees, minutes.
std::optional<double> parse_angle(std::string_view s, char pos, char neg) {
  s = trim(s);
  if (s.empty() || (s[0] != pos && s[0] != neg)) return std::nullopt;
  const double sign = s[0] == pos ? 1.0 : -1.0;
  s.remove_prefix(1);
  // degrees: digits up to the first non-digit/non-dot
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ')) ++i;
  std::size_t j = i;
  while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
  const auto deg = text::parse_double(s.substr(i, j - i));
  if (!deg) return std::nullopt;
  // minutes: next run of digits before "'"
  std::size_t k = j;
  while (k < s.size() && !std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
  std::size_t e = k;
  while (e < s.size() && (std::isdigit(static_cast<unsigned char>(s[e])) || s[e] == '.')) ++e;
  double minutes = 0.0;
  if (e > k) {
    const auto mv = text::parse_double(s.substr(k, e - k));
    if (!mv || *mv >= 60.0) return std::nullopt;
    minutes = *mv;
  }
  return sign * (*deg + minutes / 60.0);
}

// Number at the start of `s` (after spaces); used for "201m above sea level", "98934Pa".
std::optional<double> leading_number(std::string_view s) {
  s = trim(s);
  std::size_t j = 0;
  while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '-' || s[j] == '+'))
    ++j;
  return text::parse_double(s.substr(0, j));
}

// ---- .stat sections --------------------------------------------------------------------------

// The station line "{N 41° 58'} {W  87° 55'} {GMT -6.0 Hours}" (trimmed, `t`) into st's latitude,
// longitude and time zone. Returns false, reported, when it does not have that form.
bool read_station_line(std::size_t line, std::string_view t, StatSummary& st, Collector& c) {
  std::vector<std::string_view> groups;
  std::size_t p = 0;
  while ((p = t.find('{', p)) != std::string_view::npos) {
    const std::size_t q = t.find('}', p);
    if (q == std::string_view::npos) break;
    groups.push_back(t.substr(p + 1, q - p - 1));
    p = q + 1;
  }
  std::optional<double> lat, lon, tz;
  if (groups.size() == 3) {
    lat = parse_angle(groups[0], 'N', 'S');
    lon = parse_angle(groups[1], 'E', 'W');
    std::string_view g = trim(groups[2]);
    if (text::istarts_with(g, "GMT")) tz = leading_number(g.substr(3));
  }
  if (!lat || !lon || !tz) {
    c.add(line, "the station line {N|S deg° min'} {E|W deg° min'} {GMT +-h Hours}", quote(t));
    return false;
  }
  st.latitude_deg = *lat;
  st.longitude_deg = *lon;
  st.time_zone_h = *tz;
  return true;
}

// A Design Stat block starting on lines[i] (its column names, `cells`): an optional Units line, then
// the value row (Heating, Cooling or Extremes) into st.design_stat. Returns the index of the last
// line read.
std::size_t read_design_stat(const std::vector<text::Line>& lines, std::size_t i,
                             const std::vector<std::string_view>& cells, StatSummary& st, Collector& c) {
  std::size_t j = i + 1;
  while (j < lines.size() && trim(lines[j].text).empty()) ++j;
  if (j < lines.size() && tab_cells(lines[j].text).size() > 0 && tab_cells(lines[j].text)[0] == "Units") ++j;
  while (j < lines.size() && trim(lines[j].text).empty()) ++j;
  if (j >= lines.size()) {
    c.add(lines[i].number + 1, "a Design Stat value row (Heating, Cooling or Extremes)", "end of file");
    return i;
  }
  const auto vals = tab_cells(lines[j].text);
  if (vals.empty() || vals.size() > cells.size()) {
    c.add(lines[j].number, "a Design Stat value row with at most " + std::to_string(cells.size() - 1) + " values",
          quote(trim(lines[j].text)));
    return i;
  }
  auto& row = st.design_stat[std::string(vals[0])];
  for (std::size_t k = 1; k < vals.size(); ++k) {
    if (vals[k].empty()) continue;
    const auto v = text::parse_double(vals[k]);
    if (!v) {
      c.add(lines[j].number, "Design Stat " + std::string(vals[0]) + " column " + std::string(cells[k]) + ": a number",
            quote(vals[k]));
      continue;
    }
    row[std::string(cells[k])] = *v;
  }
  return j;
}

// The "Monthly Statistics for Dry Bulb temperatures" section starting on lines[i]: rows until the
// next "- " line (Maximum, Day:Hour, Minimum, Day:Hour, Daily Avg) into st's monthly dry bulbs, the
// annual mean and the hottest hour. Returns the index of the last line read; nullopt (reported) when
// a row is missing or bad.
std::optional<std::size_t> read_monthly_dry_bulb(const std::vector<text::Line>& lines, std::size_t i,
                                                 StatSummary& st, const ParseIssues& issues, Collector& c) {
  bool max_ok = false, maxdh_ok = false, min_ok = false, avg_ok = false;
  const std::size_t issues_before = issues.size();
  int dayhour_rows = 0;
  std::size_t j = i + 1;
  for (; j < lines.size(); ++j) {
    const auto cells = tab_cells(lines[j].text);
    const std::string_view tj = trim(lines[j].text);
    if (tj.starts_with("-")) break;
    if (cells.empty()) continue;
    if (cells[0] == "Maximum") {
      max_ok = twelve_numbers(lines[j], "Maximum", st.db_max_c, c);
    } else if (cells[0] == "Minimum") {
      min_ok = twelve_numbers(lines[j], "Minimum", st.db_min_c, c);
    } else if (cells[0] == "Daily Avg") {
      avg_ok = twelve_numbers(lines[j], "Daily Avg", st.db_daily_avg_c, c);
    } else if (cells[0] == "Day:Hour") {
      if (dayhour_rows++ == 0) {
        maxdh_ok = twelve_day_hours(lines[j], st.db_max_day, st.db_max_hour, c);
      } else {
        std::array<int, 12> d{}, h{};
        twelve_day_hours(lines[j], d, h, c);
      }
    }
  }
  if (!(max_ok && maxdh_ok && min_ok && avg_ok)) {
    if (issues.size() == issues_before)
      c.add(lines[i].number, "rows Maximum, Day:Hour, Minimum, Day:Hour and Daily Avg in this section",
            "a section without them");
    return std::nullopt;
  }
  double s = 0.0;
  for (std::size_t m = 0; m < 12; ++m) s += st.db_daily_avg_c[m] * kDaysInMonth[m];
  st.annual_mean_dry_bulb_c = s / 365.0;
  std::size_t hot = 0;
  for (std::size_t m = 1; m < 12; ++m)
    if (st.db_max_c[m] > st.db_max_c[hot]) hot = m;
  st.hottest_c = st.db_max_c[hot];
  st.hottest_month = static_cast<int>(hot) + 1;
  st.hottest_day = st.db_max_day[hot];
  st.hottest_hour = st.db_max_hour[hot];
  return j - 1;
}

// st.design from the Design Stat Cooling and Heating rows; a missing row or column is a problem.
void design_from_stat(StatSummary& st, Collector& c) {
  auto get = [&](const char* row, const char* col, double& out) {
    const auto r = st.design_stat.find(row);
    if (r == st.design_stat.end()) {
      c.add(0, std::string("a Design Stat '") + row + "' row", "none");
      return false;
    }
    const auto v = r->second.find(col);
    if (v == r->second.end()) {
      c.add(0, std::string("Design Stat ") + row + " column " + col, "none");
      return false;
    }
    out = v->second;
    return true;
  };
  if (st.design_stat.count("Cooling")) {
    get("Cooling", "DB004", st.design.cooling_db_004_c);
    get("Cooling", "WB_DB004", st.design.cooling_mcwb_004_c);
    get("Cooling", "WB004", st.design.cooling_wb_004_c);
    get("Cooling", "DB_WB004", st.design.cooling_mcdb_wb004_c);
    get("Cooling", "DBR", st.design.cooling_db_range_k);
    double hm = 0;
    if (get("Cooling", "HottestMonth", hm)) {
      if (hm >= 1 && hm <= 12 && hm == std::floor(hm))
        st.design.hottest_month = static_cast<int>(hm);
      else
        c.add(0, "Design Stat Cooling column HottestMonth: a month 1-12", std::to_string(hm));
    }
  } else {
    c.add(0, "a Design Stat 'Cooling' row", "none");
  }
  if (st.design_stat.count("Heating")) get("Heating", "DB996", st.design.heating_db_996_c);
  else c.add(0, "a Design Stat 'Heating' row", "none");
}

}  // namespace

// ================================================================================================
// .ddy

DdyFile parse_ddy(std::string_view text, ParseIssues& issues) {
  DdyFile out;
  Collector c(issues);
  if (text::report_binary(text, "text (a .ddy file is EnergyPlus input text)", c)) {
    c.finish();
    return out;
  }
  const auto lines = text::split_lines(text);
  const auto objects = idf_objects(lines, c);
  for (const auto& o : objects) {
    if (o.fields.empty()) continue;
    const std::string& type = o.fields[0].text;
    if (text::iequals(type, "Site:Location")) {
      out.has_location = true;
      out.location.name = o.fields.size() > 1 ? o.fields[1].text : "";
      if (auto v = num_field(o, 2, "latitude, deg", -90, 90, true, c)) out.location.latitude_deg = *v;
      if (auto v = num_field(o, 3, "longitude, deg", -180, 180, true, c)) out.location.longitude_deg = *v;
      if (auto v = num_field(o, 4, "time zone, h", -12, 14, true, c)) out.location.time_zone_h = *v;
      if (auto v = num_field(o, 5, "elevation, m", -1000, 9999.9, true, c)) out.location.elevation_m = *v;
    } else if (text::iequals(type, "SizingPeriod:DesignDay")) {
      DesignDay d;
      if (o.fields.size() < 2 || o.fields[1].text.empty()) {
        c.add(o.fields[0].line, "SizingPeriod:DesignDay field 1 (name)", "none");
        continue;
      }
      d.name = o.fields[1].text;
      d.line = o.fields[1].line;
      if (auto v = num_field(o, 2, "month", 1, 12, true, c)) d.month = static_cast<int>(*v);
      if (auto v = num_field(o, 3, "day of month", 1, 31, true, c)) d.day = static_cast<int>(*v);
      d.day_type = o.fields.size() > 4 ? o.fields[4].text : "";
      if (auto v = num_field(o, 5, "maximum dry-bulb, °C", -70, 70, true, c)) d.max_dry_bulb_c = *v;
      if (auto v = num_field(o, 6, "daily dry-bulb range, K", 0, 50, false, c)) d.daily_range_k = *v;
      d.humidity_type = o.fields.size() > 9 ? o.fields[9].text : "";
      static const char* kTypes[] = {"Wetbulb", "Dewpoint", "HumidityRatio", "Enthalpy",
                                     "RelativeHumiditySchedule", "WetBulbProfileDefaultMultipliers",
                                     "WetBulbProfileDifferenceSchedule", "WetBulbProfileMultiplierSchedule"};
      bool known = false;
      for (const char* k : kTypes) known = known || text::iequals(d.humidity_type, k);
      if (!known) {
        c.add(o.fields.size() > 9 ? o.fields[9].line : d.line,
              "SizingPeriod:DesignDay field 9 (humidity condition type): Wetbulb, Dewpoint, HumidityRatio, Enthalpy, "
              "... (EnergyPlus 8+ field order)",
              quote(d.humidity_type));
        continue;
      }
      if (auto v = num_field(o, 10, "wet-bulb or dew point at maximum dry-bulb, °C", -70, 70, false, c)) {
        d.has_humidity_value = true;
        d.humidity_value_c = *v;
      }
      if (auto v = num_field(o, 13, "enthalpy at maximum dry-bulb, J/kg", -50000, 500000, false, c)) {
        d.has_enthalpy = true;
        d.enthalpy_j_kg = *v;
      }
      if (auto v = num_field(o, 15, "barometric pressure, Pa", 31000, 120000, false, c)) {
        d.has_pressure = true;
        d.pressure_pa = *v;
      }
      if (auto v = num_field(o, 16, "wind speed, m/s", 0, 40, false, c)) {
        d.has_wind_speed = true;
        d.wind_speed_m_s = *v;
      }
      out.days.push_back(std::move(d));
    }
  }
  c.finish();
  return out;
}

const DesignDay* find_design_day(const DdyFile& ddy, std::string_view suffix) {
  const std::string want = collapse_spaces(suffix);
  for (const auto& d : ddy.days) {
    const std::string name = collapse_spaces(d.name);
    if (name.size() >= want.size() && text::iequals(std::string_view(name).substr(name.size() - want.size()), want))
      return &d;
  }
  return nullptr;
}

DesignConditions design_conditions_from_ddy(const DdyFile& ddy, ParseIssues& issues) {
  DesignConditions dc;
  Collector c(issues);
  auto need = [&](const char* suffix) {
    const DesignDay* d = find_design_day(ddy, suffix);
    if (!d) c.add(0, std::string("a SizingPeriod:DesignDay whose name ends with '") + suffix + "'", "none");
    return d;
  };
  auto need_humidity = [&](const DesignDay* d) {
    if (d && (!text::iequals(d->humidity_type, "Wetbulb") || !d->has_humidity_value)) {
      c.add(d->line, "design day '" + d->name + "' with humidity condition type Wetbulb and a wet-bulb value",
            quote(d->humidity_type));
      return false;
    }
    return d != nullptr;
  };
  if (const DesignDay* d = need("Ann Clg .4% Condns DB=>MWB")) {
    dc.cooling_db_004_c = d->max_dry_bulb_c;
    dc.cooling_db_range_k = d->daily_range_k;
    dc.hottest_month = d->month;
    if (need_humidity(d)) dc.cooling_mcwb_004_c = d->humidity_value_c;
  }
  if (const DesignDay* d = need("Ann Clg .4% Condns WB=>MDB")) {
    dc.cooling_mcdb_wb004_c = d->max_dry_bulb_c;
    if (need_humidity(d)) dc.cooling_wb_004_c = d->humidity_value_c;
  }
  if (const DesignDay* d = need("Ann Htg 99.6% Condns DB")) dc.heating_db_996_c = d->max_dry_bulb_c;
  c.finish();
  return dc;
}

// ================================================================================================
// .stat

StatSummary parse_stat(std::string_view text, ParseIssues& issues) {
  StatSummary st;
  Collector c(issues);
  if (text::report_binary(text, "text (a .stat file is the Weather Converter's text report)", c)) {
    c.finish();
    return st;
  }
  const auto lines = text::split_lines(text);
  bool have_location = false, have_coords = false, have_monthly = false;

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    const std::string_view t = trim(l.text);
    if (text::istarts_with(t, "Location --")) {
      st.station = std::string(trim(t.substr(11)));
      have_location = true;
    } else if (t.starts_with("{") && text::icontains(t, "{GMT")) {
      have_coords = read_station_line(l.number, t, st, c) || have_coords;
    } else if (text::istarts_with(t, "Elevation --")) {
      const auto v = leading_number(t.substr(12));
      if (!v) c.add(l.number, "Elevation -- <number>m above|below sea level", quote(t));
      else st.elevation_m = text::icontains(t, "below") ? -*v : *v;
    } else if (text::istarts_with(t, "Standard Pressure at Elevation --")) {
      const auto v = leading_number(t.substr(33));
      if (!v) c.add(l.number, "Standard Pressure at Elevation -- <number>Pa", quote(t));
      else st.standard_pressure_pa = *v;
    } else if (text::istarts_with(t, "WMO Station")) {
      st.wmo = std::string(trim(t.substr(11)));
    } else if (auto cells = tab_cells(l.text); !cells.empty() && cells[0] == "Design Stat") {
      i = read_design_stat(lines, i, cells, st, c);
    } else if (text::icontains(t, "Monthly Statistics for Dry Bulb temperatures")) {
      const auto end = read_monthly_dry_bulb(lines, i, st, issues, c);
      if (!end) continue;
      have_monthly = true;
      i = *end;
    }
  }

  if (!have_location) c.add(0, "a 'Location --' line", "none");
  if (!have_coords) c.add(0, "the station line {N|S deg° min'} {E|W deg° min'} {GMT +-h Hours}", "none");
  if (!have_monthly) c.add(0, "a 'Monthly Statistics for Dry Bulb temperatures' section", "none");
  design_from_stat(st, c);
  c.finish();
  return st;
}

}  // namespace dctwin::weather
