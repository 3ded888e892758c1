#include "sim/input/curtailment_spec.h"

#include <array>
#include <limits>

namespace dctwin {

namespace {
constexpr std::array<const char*, kFlexStrategyCount> kNames = {"facility_battery", "power_cap", "checkpoint_pause",
                                                                "inference_shed", "defer"};
constexpr double kMaxWindowS = 1e7;
}  // namespace

const char* to_string(FlexStrategy s) { return kNames[static_cast<std::size_t>(s)]; }

std::vector<FlexStrategy> default_flex_strategies() {
  return {FlexStrategy::FacilityBattery, FlexStrategy::Defer, FlexStrategy::PowerCap, FlexStrategy::CheckpointPause,
          FlexStrategy::InferenceShed};
}

std::vector<CurtailmentSpec> read_curtailments(JsonReader& grid, double run_duration_s) {
  std::vector<CurtailmentSpec> out;
  if (!grid.has("curtailments")) return out;
  double prev_end = -std::numeric_limits<double>::infinity();
  std::string prev_path;
  for (auto& e : grid.array_of_objects("curtailments", 0, kMaxCurtailments)) {
    const std::size_t before = grid.problems().size();
    CurtailmentSpec c;
    c.json_path = e.path();
    c.at_s = e.number("at_s", 0, run_duration_s);
    c.notice_s = e.number("notice_s", 0, kMaxWindowS);
    c.duration_s = e.number("duration_s", 1e-3, kMaxWindowS);
    const bool pct = e.has("reduce_pct"), target = e.has("target_mw");
    e.allow("reduce_pct");
    e.allow("target_mw");
    if (pct == target) {
      e.problem(pct ? "target_mw" : "reduce_pct", "exactly one of reduce_pct and target_mw", pct ? "both" : "neither");
    } else if (pct) {
      c.reduce_pct = e.number("reduce_pct", 0, 100);
    } else {
      c.target_w = e.number("target_mw", 0, 1e5) * 1e6;
    }
    e.finish();
    if (e.valid() && grid.problems().size() == before && c.at_s - c.notice_s < prev_end)
      e.problem("at_s", "curtailments in time order, each notice (at_s - notice_s) at or after the end of " + prev_path + " (" +
                            std::to_string(prev_end) + " s)",
                std::to_string(c.at_s));
    prev_end = c.at_s + c.duration_s;
    prev_path = c.json_path;
    out.push_back(c);
  }
  return out;
}

FlexibilitySpec read_flexibility(JsonReader& root) {
  FlexibilitySpec f;
  f.strategies = default_flex_strategies();
  auto o = root.optional_object("flexibility");
  if (!o) return f;
  if (o->has("strategies")) {
    const json* v = o->raw("strategies");
    const std::string expected = "a list of distinct names from facility_battery, power_cap, checkpoint_pause, inference_shed, defer";
    if (v == nullptr || !v->is_array()) {
      o->problem("strategies", expected, JsonReader::describe(v));
    } else {
      f.strategies.clear();
      std::array<bool, kFlexStrategyCount> seen{};
      for (std::size_t i = 0; i < v->size(); ++i) {
        const json& s = (*v)[i];
        int found = -1;
        for (int k = 0; k < kFlexStrategyCount && s.is_string(); ++k)
          if (s.get<std::string>() == kNames[static_cast<std::size_t>(k)]) found = k;
        if (found < 0 || seen[static_cast<std::size_t>(found)]) {
          o->problems().add(o->file(), o->path() + ".strategies[" + std::to_string(i) + "]", expected, JsonReader::describe(&s));
          continue;
        }
        seen[static_cast<std::size_t>(found)] = true;
        f.strategies.push_back(static_cast<FlexStrategy>(found));
      }
    }
  }
  if (auto v = o->optional_number("min_cap_fraction", 0.05, 1)) f.min_cap_fraction = *v;
  o->finish();
  return f;
}

}  // namespace dctwin
