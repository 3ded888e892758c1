// Loading weather files by path: EPW (hourly year), .ddy (design days), .stat (statistics).
// The parsers live in models/weather/ and take text; this is the I/O side. Every problem found is
// reported as one line "FILE: line N: expected ..., found ..." and the loader throws InputError
// (CLI exit code 2) when there is any.
#pragma once
#include <string>

#include "models/weather/design_conditions.h"
#include "models/weather/epw.h"
#include "core/problems.h"

namespace dctwin {

// Largest weather file accepted (bytes). An hourly EPW is ~1.5-2.5 MB.
inline constexpr std::size_t kMaxWeatherBytes = 64u << 20;

// Adds parser issues to `problems`, naming `file`; where = "line N" ("file" for line 0).
void add_weather_issues(Problems& problems, const std::string& file, const weather::ParseIssues& issues);

// Each throws InputError listing every problem (missing file, not text, malformed content).
weather::EpwWeather load_epw_file(const std::string& path);
weather::DdyFile load_ddy_file(const std::string& path);
weather::StatSummary load_stat_file(const std::string& path);

// Design conditions from a .ddy or .stat file, chosen by the file's extension (case-insensitive).
weather::DesignConditions load_design_conditions_file(const std::string& path);

}  // namespace dctwin
