#include "models/power/voltage_series.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "models/power/flickermeter.h"
#include "models/text/text_fields.h"

namespace dctwin::power {

VoltageSeries parse_voltage_series(std::string_view input, text::ParseIssues& issues) {
  VoltageSeries out;
  text::Collector c(issues);
  if (text::report_binary(input, "a text CSV voltage series", c)) {
    c.finish();
    return out;
  }
  const auto lines = text::split_lines(input);
  std::size_t i = 0;
  while (i < lines.size() && text::csv_skipped(lines[i].text)) ++i;
  if (i == lines.size()) {
    c.add(0, "a header line t_s,v_rms and rows", "no lines");
    c.finish();
    return out;
  }
  const auto head = text::split_trimmed(lines[i].text, ',');
  const auto at = text::csv_header_columns(lines[i], {"t_s", "v_rms"}, c);
  if (!at) {
    c.finish();
    return out;
  }
  const std::size_t need = std::max((*at)[0], (*at)[1]) + 1;
  double last_t = -std::numeric_limits<double>::infinity();
  for (++i; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (text::csv_skipped(line.text)) continue;
    if (out.t_s.size() >= kMaxVoltageRows) {
      c.add(line.number, "at most " + std::to_string(kMaxVoltageRows) + " rows", "more");
      break;
    }
    const auto f = text::split_trimmed(line.text, ',');
    if (f.size() < need) {
      c.add(line.number, std::to_string(head.size()) + " comma-separated fields as in the header", std::to_string(f.size()) + " fields");
      continue;
    }
    const auto t = text::parse_double(f[(*at)[0]]);
    const auto v = text::parse_double(f[(*at)[1]]);
    bool ok = true;
    if (!t || std::abs(*t) > 1e12) {
      c.add(line.number, "t_s a number of seconds in [-1e12, 1e12]", text::quote(f[(*at)[0]]));
      ok = false;
    } else if (*t <= last_t) {
      c.add(line.number, "t_s greater than the previous row's (" + text::fmt(last_t) + " s)", text::fmt(*t));
      ok = false;
    }
    if (!v || !(*v >= kMinVoltage) || *v > kMaxVoltage) {
      c.add(line.number, "v_rms a number in [" + text::fmt(kMinVoltage) + ", " + text::fmt(kMaxVoltage) + "] (any unit)",
            text::quote(f[(*at)[1]]));
      ok = false;
    }
    if (!ok) continue;
    last_t = *t;
    out.t_s.push_back(*t);
    out.v_rms.push_back(*v);
  }
  if (!c.any()) {
    const double record = out.t_s.size() < 2 ? 0 : out.t_s.back() - out.t_s.front();
    if (record < kPstIntervalS)
      c.add(0, "rows covering at least " + text::fmt(kPstIntervalS) + " s (one Pst interval)",
            std::to_string(out.t_s.size()) + " rows covering " + text::fmt(record) + " s");
    else if (record > kMaxVoltageRecordS)
      c.add(0, "a record of at most " + text::fmt(kMaxVoltageRecordS) + " s", text::fmt(record) + " s");
  }
  c.finish();
  return out;
}

}  // namespace dctwin::power
