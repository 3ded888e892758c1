#include "sim/studies/analysis_period.h"

#include <algorithm>
#include <cstdio>

#include "core/problems.h"

namespace dctwin {

namespace {

constexpr double kDay = 86400.0;

[[noreturn]] void bad(const std::string& option, const std::string& expected, const std::string& text) {
  Problems p;
  p.add(option, "", expected, "\"" + text + "\"");
  throw InputError(p);
}

bool parse_int(const std::string& s, int lo, int hi, int* out) {
  if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const int v = std::stoi(s);
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

// The hottest hour inside [start, start + duration) of the EPW year, as an offset from start.
double hottest_offset_s(const weather::EpwWeather& w, int start_day, double duration_s) {
  const std::size_t first = static_cast<std::size_t>(start_day - 1) * 24;
  const std::size_t n = static_cast<std::size_t>(duration_s / 3600.0);
  std::size_t best = first % w.hours.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (first + k) % w.hours.size();
    if (w.hours[i].dry_bulb_c > w.hours[best].dry_bulb_c) best = i;
  }
  const std::size_t rel = (best + w.hours.size() - first % w.hours.size()) % w.hours.size();
  return static_cast<double>(rel) * 3600.0;
}

std::string hour_text(const weather::EpwWeather& w, std::size_t i) {
  const auto& h = w.hours[i];
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.1f C dry bulb on %02d-%02d, hour ending %02d:00", h.dry_bulb_c, h.month, h.day, h.hour);
  return buf;
}

}  // namespace

AnalysisPeriod resolve_analysis_period(const std::string& text, const weather::EpwWeather* epw, const std::string& option) {
  const std::string forms = "year, hottest-day, hottest-week, coldest-day, day:N or days:N:M (N = day of year 1..366, M days)";
  AnalysisPeriod p;
  const bool have = epw != nullptr && !epw->hours.empty();
  const int year_days = have ? static_cast<int>(epw->hours.size() / 24) : 365;
  if (text == "year" || text == "hottest-day" || text == "hottest-week" || text == "coldest-day") {
    if (!have) bad(option, forms + "; \"" + text + "\" needs an EPW weather file (--weather or cooling.weather.epw_file)", text);
    if (text == "year") {
      p.start_day_of_year = 1;
      p.duration_s = static_cast<double>(epw->hours.size()) * 3600.0;
      p.description = "year: " + std::to_string(year_days) + " days from Jan 1";
    } else {
      std::size_t idx = weather::epw_hottest_hour_index(*epw);
      if (text == "coldest-day") {
        idx = 0;
        for (std::size_t k = 1; k < epw->hours.size(); ++k)
          if (epw->hours[k].dry_bulb_c < epw->hours[idx].dry_bulb_c) idx = k;
      }
      const int day = static_cast<int>(idx / 24) + 1;
      const int days = text == "hottest-week" ? 7 : 1;
      p.start_day_of_year = std::clamp(day - (days - 1) / 2, 1, year_days - days + 1);
      p.duration_s = days * kDay;
      p.description = text + ": " + std::to_string(days) + " day(s) from day " + std::to_string(p.start_day_of_year) +
                      " (" + (text == "coldest-day" ? "coldest" : "hottest") + " hour " + hour_text(*epw, idx) + ")";
    }
  } else {
    int n = 0, m = 1;
    bool ok = false;
    if (text.rfind("day:", 0) == 0) {
      ok = parse_int(text.substr(4), 1, 366, &n);
    } else if (text.rfind("days:", 0) == 0) {
      const std::string rest = text.substr(5);
      const auto colon = rest.find(':');
      ok = colon != std::string::npos && parse_int(rest.substr(0, colon), 1, 366, &n) && parse_int(rest.substr(colon + 1), 1, 3660, &m);
    }
    if (!ok) bad(option, forms, text);
    p.start_day_of_year = n;
    p.duration_s = m * kDay;
    p.description = std::to_string(m) + " day(s) from day " + std::to_string(n);
  }
  // Hottest hour inside the period: from the EPW; the design day peaks at 14:00-15:00 every day.
  p.hottest_hour_offset_s = have ? hottest_offset_s(*epw, p.start_day_of_year, p.duration_s) : 14.0 * 3600.0;
  return p;
}

}  // namespace dctwin
