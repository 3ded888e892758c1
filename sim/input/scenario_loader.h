// Loading and validating scenarios (docs/scenario.md). Every problem is collected, one line each
// with file, JSON path, expected and found; any problem throws InputError (CLI exit code 2).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "sim/input/gpu_profile.h"  // the profiles a scenario names
#include "sim/input/scenario.h"

namespace dctwin {

// Limits that keep absurd inputs (1e30 GPUs, a 1e9-year run) from being attempted.
inline constexpr double kMaxDurationS = 3.2e8;               // ~10 years
inline constexpr std::int64_t kMaxGpus = 10'000'000;
inline constexpr double kMaxOutputSamples = 5e7;             // duration_s / output_step_s

struct LoadOptions {
  std::vector<std::string> overrides;  // --set path=value
};

Scenario load_scenario_file(const std::string& path, const LoadOptions& options = {});
Scenario load_default_scenario(const LoadOptions& options = {});
// The scenario file at `path`, or the embedded default when `path` is "".
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});
// `file` names the input in messages; `base_dir` resolves relative paths inside it.
Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::string& base_dir, const LoadOptions& options = {});

// scenarios/mai1-15k-h100.json, built into the binary.
std::string_view default_scenario_text();

// A number as override text, "%.17g": every significant digit, so an override never silently
// rounds a value.
std::string exact_number(double v);

}  // namespace dctwin
