// Loading and validating scenarios (docs/scenario.md). Every problem is collected, one line each
// with file, JSON path, expected and found; any problem throws InputError (CLI exit code 2).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
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
// `file` names the input in messages; `base_dir` resolves relative paths inside it.
Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::string& base_dir, const LoadOptions& options = {});

// GPU device profiles (scenarios/profiles/*.json), built into the binary.
const std::vector<std::string>& builtin_profile_names();
std::string_view builtin_profile_text(const std::string& name);  // "" when unknown
power::GpuProfile load_builtin_profile(const std::string& name);
// Parses one profile object; problems are added to the reader's list.
power::GpuProfile read_gpu_profile(JsonReader& r);
std::string_view default_scenario_text();

}  // namespace dctwin
