#include "viz/step_causes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "viz/json_fields.h"

namespace dctwin::viz {

std::string step_cause(const json& jobs, double t_s, double tol_s) {
  std::vector<std::string> causes;
  if (!jobs.is_array()) return "unattributed";
  auto near = [&](double a) { return std::abs(a - t_s) <= tol_s; };
  for (const auto& j : jobs) {
    const std::string name = str(j, "name", "?");
    const auto start = num(j, "start_s"), stop = num(j, "stop_s");
    if (start && near(*start)) causes.push_back("job start: " + name);
    if (stop && near(*stop)) causes.push_back("job stop: " + name);
    double first_disruption = std::numeric_limits<double>::infinity();
    if (j.contains("failure_times_s") && j["failure_times_s"].is_array())
      for (const auto& f : j["failure_times_s"])
        if (f.is_number()) {
          first_disruption = std::min(first_disruption, f.get<double>());
          if (near(f.get<double>())) causes.push_back("job failure: " + name);
        }
    const bool cp_times = j.contains("checkpoint_times_s") && j["checkpoint_times_s"].is_array();
    if (cp_times) {
      for (const auto& c : j["checkpoint_times_s"])
        if (c.is_number()) {
          first_disruption = std::min(first_disruption, c.get<double>());
          if (near(c.get<double>())) causes.push_back("checkpoint: " + name);
        }
    } else if (num(j, "checkpoint_count").value_or(0) > 0 && start) {
      first_disruption = std::min(first_disruption, *start);  // times unknown: schedule unknown
    }
    // A training job's step phase boundaries: start + k * period + cumulative phase durations,
    // known until the first failure or checkpoint shifts the schedule.
    const auto period = num(j, "step_period_s");
    if (str(j, "kind") == "training" && start && period && *period > 0 && j.contains("step_phases") &&
        j["step_phases"].is_array() && t_s >= *start && t_s <= first_disruption + tol_s && (!stop || t_s <= *stop + tol_s)) {
      const double rel = std::fmod(t_s - *start, *period);
      double off = 0;
      bool hit = rel <= tol_s || *period - rel <= tol_s;
      for (const auto& ph : j["step_phases"]) {
        off += num(ph, "duration_s").value_or(0);
        if (std::abs(rel - off) <= tol_s) hit = true;
      }
      if (hit) causes.push_back("step phase change: " + name);
    }
  }
  if (causes.empty()) return "unattributed";
  std::string out;
  for (std::size_t i = 0; i < causes.size(); ++i) out += (i ? "; " : "") + causes[i];
  return out;
}

}  // namespace dctwin::viz
