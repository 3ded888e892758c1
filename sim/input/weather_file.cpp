#include "sim/input/weather_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/json_input.h"

namespace dctwin {

void add_weather_issues(Problems& problems, const std::string& file, const weather::ParseIssues& issues) {
  for (const auto& i : issues)
    problems.add(file, i.line == 0 ? std::string("file") : "line " + std::to_string(i.line), i.expected, i.found);
}

namespace {

template <class Parse>
auto load_with(const std::string& path, Parse parse) {
  Problems problems;
  const std::string text = read_text_file(path, problems, kMaxWeatherBytes);
  if (!problems.empty()) throw InputError(problems);
  weather::ParseIssues issues;
  auto result = parse(text, issues);
  add_weather_issues(problems, path, issues);
  if (!problems.empty()) throw InputError(problems);
  return result;
}

}  // namespace

weather::EpwWeather load_epw_file(const std::string& path) {
  return load_with(path, [](const std::string& t, weather::ParseIssues& i) { return weather::parse_epw(t, i); });
}

weather::DdyFile load_ddy_file(const std::string& path) {
  return load_with(path, [](const std::string& t, weather::ParseIssues& i) { return weather::parse_ddy(t, i); });
}

weather::StatSummary load_stat_file(const std::string& path) {
  return load_with(path, [](const std::string& t, weather::ParseIssues& i) { return weather::parse_stat(t, i); });
}

weather::DesignConditions load_design_conditions_file(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".ddy") {
    return load_with(path, [](const std::string& t, weather::ParseIssues& i) {
      const weather::DdyFile ddy = weather::parse_ddy(t, i);
      if (!i.empty()) return weather::DesignConditions{};
      return weather::design_conditions_from_ddy(ddy, i);
    });
  }
  if (ext == ".stat") return load_stat_file(path).design;
  Problems problems;
  problems.add(path, "file", "a .ddy or .stat design-conditions file", "extension '" + ext + "'");
  throw InputError(problems);
}

}  // namespace dctwin
