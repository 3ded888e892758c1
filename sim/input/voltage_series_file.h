// Loading a measured RMS-voltage series (CSV: t_s, v_rms) by path for `dctwin flicker`. The parser is
// power::parse_voltage_series (models/power/voltage_series.h); every problem is one line
// "FILE: line N: expected ..., found ..." and the loader throws InputError (exit 2).
#pragma once
#include <string>

#include "models/power/voltage_series.h"

namespace dctwin {

inline constexpr std::size_t kMaxVoltageSeriesBytes = 1024u << 20;

power::VoltageSeries load_voltage_series_file(const std::string& path);

}  // namespace dctwin
