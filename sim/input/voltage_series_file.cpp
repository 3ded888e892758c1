#include "sim/input/voltage_series_file.h"

#include "core/json_input.h"
#include "sim/input/weather_file.h"

namespace dctwin {

power::VoltageSeries load_voltage_series_file(const std::string& path) {
  Problems problems;
  const std::string text = read_text_file(path, problems, kMaxVoltageSeriesBytes);
  if (!problems.empty()) throw InputError(problems);
  text::ParseIssues issues;
  auto series = power::parse_voltage_series(text, issues);
  add_weather_issues(problems, path, issues);  // the same "line N" form as the weather files
  if (!problems.empty()) throw InputError(problems);
  return series;
}

}  // namespace dctwin
