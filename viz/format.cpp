#include "viz/format.h"

#include <cmath>
#include <cstdio>

namespace dctwin::viz {

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  const std::string s = buf;
  // Thousands separators for the integer part.
  const std::size_t start = s[0] == '-' ? 1 : 0;
  std::size_t dot = s.find('.');
  if (dot == std::string::npos) dot = s.size();
  std::string out;
  out.reserve(s.size() + dot / 3);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > start && i < dot && (dot - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return out;
}

std::string fmt_g(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string clock(double t_s) {
  const long long ms = std::llround(t_s * 1000);
  const long long h = ms / 3600000, m = (ms / 60000) % 60;
  const double s = static_cast<double>(ms % 60000) / 1000.0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%04.1f", h, m, s);
  return buf;
}

std::string fmt_t(double t_s) { return fmt(t_s, 1) + " s (" + clock(t_s) + ")"; }

std::string fmt_duration(double s) {
  if (s >= 2 * 86400) return fmt(s / 86400, 2) + " days";
  if (s >= 2 * 3600) return fmt(s / 3600, 2) + " h";
  if (s >= 120) return fmt(s / 60, 1) + " min";
  return fmt_g(s) + " s";
}

std::string interval_label(double s) {
  if (s < 1) return fmt_g(s * 1000) + " ms";
  if (s < 60) return fmt_g(s) + " s";
  if (s < 3600) return fmt_g(s / 60) + " min";
  return fmt_g(s / 3600) + " h";
}

std::string usd(double v) {
  std::string out(1, '$');
  out += fmt(v, 0);
  return out;
}

}  // namespace dctwin::viz
