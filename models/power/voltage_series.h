#pragma once
/**
 * @file voltage_series.h
 * @brief Reading a measured RMS-voltage series (CSV: t_s, v_rms; any voltage unit) for the
 * flickermeter (models/power/flickermeter.h). Text in, rows or problems out; no I/O.
 *
 * Format: optional lines starting with '#' and blank lines anywhere; one header line naming the
 * columns `t_s` and `v_rms` (any order, case-insensitive, other columns ignored); then one row per
 * sample: t_s seconds in [-1e12, 1e12], strictly increasing; v_rms in [kMinVoltage, kMaxVoltage]
 * (volts, kilovolts or per unit: the meter uses it relative to its mean). Each row holds until the next.
 * The record (last t_s - first t_s) must cover at least one Pst interval (600 s) and at most
 * kMaxVoltageRecordS. Every problem is one issue with its line ("expected ..., found ...").
 */
#include <string_view>
#include <vector>

#include "models/text/parse_issue.h"

namespace dctwin::power {

/// Range of v_rms accepted, any unit (per unit ~1, volts ~230, kilovolts ~13.8).
inline constexpr double kMinVoltage = 1e-6, kMaxVoltage = 1e9;
inline constexpr std::size_t kMaxVoltageRows = 20'000'000;
/// Longest record evaluated (s): 7 days, about 1.2e9 filter samples (a few tens of seconds).
inline constexpr double kMaxVoltageRecordS = 7 * 86400.0;

struct VoltageSeries {
  std::vector<double> t_s;
  std::vector<double> v_rms;
};

VoltageSeries parse_voltage_series(std::string_view text, text::ParseIssues& issues);

}  // namespace dctwin::power
