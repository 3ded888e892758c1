#include "models/weather/epw.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "models/text/text_fields.h"

namespace dctwin::weather {

namespace {

using text::fmt;
using text::quote;

using text::Collector;

constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

struct FieldSpec {
  int index;            // 1-based EPW field
  const char* name;
  const char* unit;
  double lo, hi;        // valid range
  bool lo_open, hi_open;
  double missing_at;    // value >= this is missing
};

// EnergyPlus Auxiliary Programs, EPW data dictionary.
constexpr std::array<FieldSpec, kEpwFieldCount> kFields = {{
    {7, "dry bulb", "°C", -70.0, 70.0, true, true, 99.9},
    {8, "dew point", "°C", -70.0, 70.0, true, true, 99.9},
    {9, "relative humidity", "%", 0.0, 110.0, false, false, 999.0},
    {10, "station pressure", "Pa", 31000.0, 120000.0, true, true, 999999.0},
    {22, "wind speed", "m/s", 0.0, 40.0, false, false, 999.0},
}};

std::string range_text(const FieldSpec& f) {
  return std::string(f.lo_open ? "(" : "[") + fmt(f.lo) + ", " + fmt(f.hi) + (f.hi_open ? ")" : "]") + " " +
         f.unit;
}

bool in_range(const FieldSpec& f, double v) {
  const bool lo_ok = f.lo_open ? v > f.lo : v >= f.lo;
  const bool hi_ok = f.hi_open ? v < f.hi : v <= f.hi;
  return lo_ok && hi_ok;
}

const char* kHeaderKeywords[8] = {"LOCATION",   "DESIGN CONDITIONS",          "TYPICAL/EXTREME PERIODS",
                                  "GROUND TEMPERATURES", "HOLIDAYS/DAYLIGHT SAVING", "COMMENTS 1",
                                  "COMMENTS 2", "DATA PERIODS"};

void parse_location(const text::Line& line, EpwLocation& loc, Collector& c) {
  const auto f = text::split(line.text, ',');
  if (f.size() < 10) {
    c.add(line.number, "LOCATION with 9 fields after the keyword (city, region, country, source, WMO, latitude, "
                       "longitude, time zone, elevation)",
          std::to_string(f.size() - 1) + " fields");
    return;
  }
  loc.city = std::string(text::trim(f[1]));
  loc.region = std::string(text::trim(f[2]));
  loc.country = std::string(text::trim(f[3]));
  loc.source = std::string(text::trim(f[4]));
  loc.wmo = std::string(text::trim(f[5]));
  struct Num {
    std::size_t i;
    const char* name;
    double lo, hi;
    double* out;
  };
  const Num nums[] = {{6, "latitude (deg, + North)", -90, 90, &loc.latitude_deg},
                      {7, "longitude (deg, + East)", -180, 180, &loc.longitude_deg},
                      {8, "time zone (h from GMT)", -12, 14, &loc.time_zone_h},
                      {9, "elevation (m)", -1000, 9999.9, &loc.elevation_m}};
  for (const auto& n : nums) {
    const auto v = text::parse_double(f[n.i]);
    if (!v || *v < n.lo || *v > n.hi) {
      c.add(line.number,
            "LOCATION field " + std::to_string(n.i) + " " + n.name + ": a number in [" + fmt(n.lo) + ", " +
                fmt(n.hi) + "]",
            quote(text::trim(f[n.i])));
    } else {
      *n.out = *v;
    }
  }
}

void parse_data_periods(const text::Line& line, Collector& c) {
  const auto f = text::split(line.text, ',');
  if (f.size() < 3) {
    c.add(line.number, "DATA PERIODS, number of periods, records per hour, ...", quote(line.text));
    return;
  }
  const auto periods = text::parse_int(f[1]);
  if (!periods || *periods != 1)
    c.add(line.number, "DATA PERIODS field 1 (number of data periods): 1 (multi-period files are not supported)",
          quote(text::trim(f[1])));
  const auto per_hour = text::parse_int(f[2]);
  if (!per_hour || *per_hour != 1)
    c.add(line.number,
          "DATA PERIODS field 2 (records per hour): 1 (sub-hourly files are not supported)",
          quote(text::trim(f[2])));
}

// Expected (month, day, hour) of 0-based row k.
void expected_mdh(std::size_t k, bool leap, int& month, int& day, int& hour) {
  std::size_t d = k / 24;
  hour = static_cast<int>(k % 24) + 1;
  for (int m = 0; m < 12; ++m) {
    const std::size_t dim = static_cast<std::size_t>(kDaysInMonth[static_cast<std::size_t>(m)] + (leap && m == 1 ? 1 : 0));
    if (d < dim) {
      month = m + 1;
      day = static_cast<int>(d) + 1;
      return;
    }
    d -= dim;
  }
  month = 13;  // past the end of the year
  day = 0;
}

std::string mdh_text(int m, int d, int h) {
  return "month " + std::to_string(m) + ", day " + std::to_string(d) + ", hour " + std::to_string(h);
}

void fill_missing(std::vector<double>& v, const std::vector<bool>& miss, MissingStats& st) {
  const std::size_t n = v.size();
  std::size_t run = 0;
  std::optional<std::size_t> prev;
  for (std::size_t i = 0; i < n; ++i) {
    if (!miss[i]) {
      run = 0;
      prev = i;
      continue;
    }
    ++st.count;
    st.longest_run_h = std::max(st.longest_run_h, ++run);
    std::size_t next = i + 1;
    while (next < n && miss[next]) ++next;
    if (prev && next < n) {
      const double w = static_cast<double>(i - *prev) / static_cast<double>(next - *prev);
      v[i] = (1.0 - w) * v[*prev] + w * v[next];
    } else if (prev) {
      v[i] = v[*prev];
    } else {
      v[i] = v[next];  // caller guarantees at least one valid value
    }
  }
}

// The 8 header lines, each starting with its keyword; LOCATION is read into `loc` and DATA PERIODS
// checked. Returns false when the text ends inside the header.
bool read_header(const std::vector<text::Line>& lines, EpwLocation& loc, Collector& c) {
  for (std::size_t i = 0; i < 8; ++i) {
    if (i >= lines.size()) {
      c.add(lines.size() + 1, std::string("header line ") + std::to_string(i + 1) + " (" + kHeaderKeywords[i] + ")",
            "end of file");
      return false;
    }
    const auto& l = lines[i];
    if (!text::istarts_with(text::trim(l.text), kHeaderKeywords[i])) {
      c.add(l.number, std::string("header line ") + std::to_string(i + 1) + " starting with " + kHeaderKeywords[i],
            quote(l.text));
      continue;
    }
    if (i == 0) parse_location(l, loc, c);
    if (i == 7) parse_data_periods(l, c);
  }
  return true;
}

// The hourly values of the fields in kFields (by their index there), and which are missing.
struct HourlyColumns {
  std::array<std::vector<double>, kEpwFieldCount> values;
  std::array<std::vector<bool>, kEpwFieldCount> missing;
  explicit HourlyColumns(std::size_t rows) {
    for (std::size_t f = 0; f < kEpwFieldCount; ++f) {
      values[f].assign(rows, 0.0);
      missing[f].assign(rows, false);
    }
  }
};

// Data row k (0-based) on line l: its date and hour (in calendar order) into `row`, the fields of
// kFields into `cols`. `field_count`: the field count of the first data row, which every row has.
void read_row(const text::Line& l, std::size_t k, bool leap, std::size_t& field_count, EpwHour& row,
              HourlyColumns& cols, Collector& c) {
  const auto f = text::split(l.text, ',');
  if (k == 0) field_count = f.size();
  if (f.size() < 22 || f.size() > 35) {
    c.add(l.number, "35 comma-separated fields (at least 22: through wind speed)", std::to_string(f.size()) + " fields");
    return;
  }
  if (f.size() != field_count) {
    c.add(l.number, std::to_string(field_count) + " fields, as on the first data row (line 9)",
          std::to_string(f.size()) + " fields");
    return;
  }
  // date and hour
  int em = 0, ed = 0, eh = 0;
  expected_mdh(k, leap, em, ed, eh);
  const auto m = text::parse_int(f[1]);
  const auto d = text::parse_int(f[2]);
  const auto h = text::parse_int(f[3]);
  if (!m || !d || !h) {
    c.add(l.number, "fields 2-4 (month, day, hour) integers: " + mdh_text(em, ed, eh),
          quote(f[1]) + ", " + quote(f[2]) + ", " + quote(f[3]));
    return;
  }
  if (*m != em || *d != ed || *h != eh) {
    c.add(l.number, "fields 2-4 (month, day, hour) in calendar order: " + mdh_text(em, ed, eh), mdh_text(*m, *d, *h));
    return;
  }
  row.month = *m;
  row.day = *d;
  row.hour = *h;
  for (std::size_t fi = 0; fi < kEpwFieldCount; ++fi) {
    const FieldSpec& spec = kFields[fi];
    const std::string_view raw = text::trim(f[static_cast<std::size_t>(spec.index - 1)]);
    if (raw.empty()) {
      cols.missing[fi][k] = true;
      continue;
    }
    const auto v = text::parse_double(raw);
    if (v && *v >= spec.missing_at) {
      cols.missing[fi][k] = true;
      continue;
    }
    if (!v || !in_range(spec, *v)) {
      c.add(l.number,
            "field " + std::to_string(spec.index) + " (" + spec.name + ") a number in " + range_text(spec) +
                " or the missing code " + fmt(spec.missing_at),
            quote(raw));
      continue;
    }
    cols.values[fi][k] = *v;
  }
}

// Missing values interpolated (pressure, when missing throughout, from the elevation; any other
// field missing throughout is a problem), then the values into w.hours.
void fill_hours(HourlyColumns& cols, EpwWeather& w, Collector& c) {
  const std::size_t rows = w.hours.size();
  for (std::size_t fi = 0; fi < kEpwFieldCount; ++fi) {
    const bool all_missing = std::all_of(cols.missing[fi].begin(), cols.missing[fi].end(), [](bool b) { return b; });
    if (all_missing) {
      if (static_cast<EpwField>(fi) == EpwField::Pressure) {
        w.pressure_from_elevation = true;
        std::fill(cols.values[fi].begin(), cols.values[fi].end(), standard_pressure_pa(w.location.elevation_m));
        w.missing[fi] = {rows, rows};
        continue;
      }
      c.add(9, std::string("at least one valid value of field ") + std::to_string(kFields[fi].index) + " (" +
                   kFields[fi].name + ")",
            "all " + std::to_string(rows) + " values missing");
      continue;
    }
    fill_missing(cols.values[fi], cols.missing[fi], w.missing[fi]);
  }
  for (std::size_t k = 0; k < rows; ++k) {
    EpwHour& r = w.hours[k];
    r.dry_bulb_c = cols.values[0][k];
    r.dew_point_c = cols.values[1][k];
    r.rel_humidity_pct = cols.values[2][k];
    r.pressure_pa = cols.values[3][k];
    r.wind_speed_m_s = cols.values[4][k];
  }
}

}  // namespace

double standard_pressure_pa(double elevation_m) {
  return 101325.0 * std::pow(1.0 - 2.25577e-5 * elevation_m, 5.2559);
}

EpwWeather parse_epw(std::string_view text, ParseIssues& issues) {
  EpwWeather w;
  Collector c(issues);

  // Binary content: report the first control byte and stop.
  if (text::report_binary(text, "text (an EPW file is comma-separated text)", c)) {
    c.finish();
    return w;
  }

  const auto lines = text::split_lines(text);
  if (lines.empty() || (lines.size() == 1 && text::trim(lines[0].text).empty())) {
    c.add(1, "the LOCATION header line (8 header lines, then 8760 hourly rows)", "an empty file");
    c.finish();
    return w;
  }
  if (!read_header(lines, w.location, c)) {
    c.finish();
    return w;
  }

  // ---- data rows ----
  std::size_t last = lines.size();
  while (last > 8 && text::trim(lines[last - 1].text).empty()) --last;  // trailing blank lines
  const std::size_t rows = last > 8 ? last - 8 : 0;
  const bool leap = rows == 8784;
  const std::size_t expected_rows = leap ? 8784 : 8760;
  w.leap_year = leap;
  HourlyColumns cols(rows);
  w.hours.resize(rows);
  std::size_t field_count = 0;
  for (std::size_t k = 0; k < rows; ++k) {
    const auto& l = lines[8 + k];
    if (k >= expected_rows) {
      c.add(l.number, std::to_string(expected_rows) + " hourly rows (the year ends on line " +
                          std::to_string(8 + expected_rows) + ")",
            "an extra row " + quote(l.text));
      break;
    }
    if (text::trim(l.text).empty()) {
      c.add(l.number, "an hourly data row", "an empty line");
      continue;
    }
    read_row(l, k, leap, field_count, w.hours[k], cols, c);
  }
  if (rows < expected_rows) {
    const std::size_t after = 8 + rows;  // last line number holding data (or header)
    c.add(after + 1, std::to_string(expected_rows) + " hourly rows (lines 9 to " + std::to_string(8 + expected_rows) + ")",
          "end of file after " + std::to_string(rows) + " rows");
  }
  if (c.any()) {
    c.finish();
    return w;
  }
  fill_hours(cols, w, c);
  c.finish();
  return w;
}

double epw_year_s(const EpwWeather& w) { return static_cast<double>(w.hours.size()) * 3600.0; }

EpwConditions epw_conditions_at(const EpwWeather& w, double t_s) {
  const std::size_t n = w.hours.size();
  const double year = epw_year_s(w);
  double t = std::fmod(t_s, year);
  if (t < 0.0) t += year;
  const double x = t / 3600.0 - 1.0;
  std::size_t k0, k1;
  double wt;
  if (x < 0.0) {
    k0 = n - 1;
    k1 = 0;
    wt = t / 3600.0;
  } else {
    k0 = std::min(static_cast<std::size_t>(x), n - 1);
    k1 = std::min(k0 + 1, n - 1);
    wt = x - static_cast<double>(k0);
  }
  const EpwHour& a = w.hours[k0];
  const EpwHour& b = w.hours[k1];
  auto lerp = [wt](double va, double vb) { return (1.0 - wt) * va + wt * vb; };
  return {lerp(a.dry_bulb_c, b.dry_bulb_c), lerp(a.dew_point_c, b.dew_point_c),
          lerp(a.rel_humidity_pct, b.rel_humidity_pct), lerp(a.pressure_pa, b.pressure_pa),
          lerp(a.wind_speed_m_s, b.wind_speed_m_s)};
}

std::string epw_local_time(const EpwWeather& w, double t_s) {
  const double year = epw_year_s(w);
  double t = std::fmod(t_s, year);
  if (t < 0.0) t += year;
  const std::size_t k = std::min(static_cast<std::size_t>(t / 3600.0), w.hours.size() - 1);
  const EpwHour& h = w.hours[k];
  const double in_hour = t - static_cast<double>(k) * 3600.0;  // 0 .. 3600
  const int minute = std::min(59, static_cast<int>(in_hour / 60.0));
  const double second = in_hour - minute * 60.0;
  char buf[48];
  // Whole seconds print as ss, others with the fraction (at most milliseconds, as t_s).
  const double ms = std::min(59999.0, std::round(second * 1000.0));
  if (std::fmod(ms, 1000.0) == 0.0)
    std::snprintf(buf, sizeof buf, "--%02d-%02dT%02d:%02d:%02d", h.month, h.day, h.hour - 1, minute, static_cast<int>(ms / 1000.0));
  else
    std::snprintf(buf, sizeof buf, "--%02d-%02dT%02d:%02d:%06.3f", h.month, h.day, h.hour - 1, minute, ms / 1000.0);
  return buf;
}

double epw_annual_mean_dry_bulb_c(const EpwWeather& w) {
  double s = 0.0;
  for (const auto& h : w.hours) s += h.dry_bulb_c;
  return w.hours.empty() ? 0.0 : s / static_cast<double>(w.hours.size());
}

std::size_t epw_hottest_hour_index(const EpwWeather& w) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < w.hours.size(); ++k)
    if (w.hours[k].dry_bulb_c > w.hours[best].dry_bulb_c) best = k;
  return best;
}

}  // namespace dctwin::weather
