// libFuzzer harness: the RMS-voltage series reader of `dctwin flicker` (models/power/voltage_series.h)
// and, on what it accepts, the flickermeter (models/power/flickermeter.h). Any input gives rows or
// issues with a line; when it parses, the rows are in range and strictly increasing, the record
// covers one Pst interval, and the meter on a record cut to 10 minutes gives one finite Pst >= 0.
// Seeds: corpus/voltage_series/.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/power/flickermeter.h"
#include "models/power/voltage_series.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dctwin::power;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dctwin::text::ParseIssues issues;
  VoltageSeries s = parse_voltage_series(text, issues);
  if (!issues.empty()) return 0;
  if (s.t_s.size() < 2 || s.t_s.size() != s.v_rms.size()) __builtin_trap();
  for (std::size_t i = 0; i < s.t_s.size(); ++i) {
    if (!(s.v_rms[i] >= kMinVoltage && s.v_rms[i] <= kMaxVoltage)) __builtin_trap();
    if (i > 0 && !(s.t_s[i] > s.t_s[i - 1])) __builtin_trap();
  }
  const double record = s.t_s.back() - s.t_s.front();
  if (!(record >= kPstIntervalS && record <= kMaxVoltageRecordS)) __builtin_trap();
  // Cut to the first 10 minutes (the meter's cost grows with the record, not the rows).
  std::vector<double> t, v;
  for (std::size_t i = 0; i < s.t_s.size() && s.t_s[i] - s.t_s.front() < kPstIntervalS; ++i) {
    t.push_back(s.t_s[i]);
    v.push_back(s.v_rms[i]);
  }
  t.push_back(s.t_s.front() + kPstIntervalS);
  v.push_back(v.back());
  const FlickerSeverity r = flicker_of_rms_series(t, v, 50);
  if (r.pst.size() != 1 || !std::isfinite(r.pst[0]) || r.pst[0] < 0) __builtin_trap();
  return 0;
}
