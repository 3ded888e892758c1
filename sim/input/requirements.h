// A utility's interconnection requirements (`dctwin comply --requirements REQ.json`): the typed,
// validated form of the requirements file (docs/requirements.md), read strictly like a scenario
// (every problem with its JSON path, unknown keys with a hint; InputError, exit 2).
//
// Limits in MW, MW/s, %, kV, MVA; windows in s; frequencies in Hz. A section that is absent is not
// checked. What each limit means (how the check computes its value) is in
// sim/output/compliance_checks.h.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace dctwin {

struct RampLimit {
  double window_s = 0, max_up_mw_per_s = 0, max_down_mw_per_s = 0;
};
struct WindowLimit {  // step_change (max_mw), dynamic_range (max_pct_of_peak), demand (max_mw)
  double window_s = 0, max = 0;
};
struct OscillationLimit {
  double lo_hz = 0, hi_hz = 0, max_component_mw = 0;
};
struct PccSpec {
  double nominal_kv = 0, short_circuit_mva = 0, x_over_r = 0;
};
struct FlickerLimit {
  std::optional<double> pst_max, plt_max;
};

struct Requirements {
  std::string name, description, source;
  json sources;  // where each figure comes from (free text per key), echoed into compliance.json
  std::vector<RampLimit> ramp;
  std::optional<WindowLimit> step_change, dynamic_range, demand;
  std::vector<OscillationLimit> oscillation;
  std::optional<double> power_factor_min;
  std::optional<PccSpec> pcc;
  std::optional<FlickerLimit> flicker;
  std::optional<double> voltage_change_max_pct;
  bool empty() const;
};

// Longest window accepted (s): a day.
inline constexpr double kMaxRequirementWindowS = 86400;

Requirements load_requirements_text(const std::string& text, const std::string& file);
Requirements load_requirements_file(const std::string& path);

// The `pcc` object alone (also the reader a scenario's `grid.pcc` can use).
PccSpec read_pcc(JsonReader& r);

// The output step a flicker limit needs (s): 2 samples per period of 25 Hz, which holds the lamp-eye
// weighting's peak at 8.8 Hz (faster fluctuations are not seen; sim/output/reactive_power.h).
inline constexpr double kFlickerOutputStepS = 0.02;

// The coarsest output step (s) that resolves every limit: each window holds at least one step, every
// oscillation band's upper edge lies at or below a quarter of the sampling rate (4 samples per
// period) and a flicker limit's step is kFlickerOutputStepS; nullopt when nothing constrains it.
std::optional<double> required_output_step_s(const Requirements& q);
// The shortest run (s) the limits need: the longest window, two periods of every band's lower edge
// (the spectral estimate's frequency resolution) and one Pst interval (power::kPstIntervalS, 600 s)
// for pst_max; 0 when nothing needs one. A plt_max limit (12 intervals, 2 h) does not lengthen the run:
// a shorter run leaves it not evaluated, with the duration it needs.
double required_duration_s(const Requirements& q);

}  // namespace dctwin
