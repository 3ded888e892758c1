// The requirements file of `dctwin comply`: strict reading (every problem with its JSON path),
// the resolution and duration it needs, and the shipped examples.
#include <doctest/doctest.h>

#include "sim/input/requirements.h"
#include "tests/support.h"

namespace dctwin {

namespace {

// The problems of a bad file, one string per problem.
std::string problems_of(const std::string& text) {
  try {
    load_requirements_text(text, "req.json");
  } catch (const InputError& e) {
    return e.problems().str();
  }
  return "";
}

}  // namespace

TEST_CASE("requirements: a full file reads, with the step and duration it needs") {
  const Requirements q = load_requirements_text(R"({
    "name": "u", "description": "d", "sources": {"ramp": "assumption"},
    "ramp": [{"window_s": 1, "max_up_mw_per_s": 2, "max_down_mw_per_s": 3}, {"window_s": 60, "max_up_mw_per_s": 0.5, "max_down_mw_per_s": 0.5}],
    "step_change": {"window_s": 0.5, "max_mw": 4},
    "dynamic_range": {"window_s": 10, "max_pct_of_peak": 20},
    "oscillation": [{"band_hz": [0.1, 20], "max_component_mw": 1}],
    "demand": {"window_s": 900, "max_mw": 50},
    "power_factor": {"min": 0.95},
    "pcc": {"nominal_kv": 138, "short_circuit_mva": 3000, "x_over_r": 10},
    "flicker": {"pst_max": 0.8, "plt_max": 0.6},
    "voltage_change": {"max_pct": 3}
  })",
                                                "req.json");
  CHECK(q.name == "u");
  REQUIRE(q.ramp.size() == 2);
  CHECK(q.ramp[1].window_s == 60);
  CHECK(q.step_change->max == 4);
  CHECK(q.dynamic_range->max == 20);
  REQUIRE(q.oscillation.size() == 1);
  CHECK(q.oscillation[0].hi_hz == 20);
  CHECK(*q.power_factor_min == 0.95);
  CHECK(q.pcc->short_circuit_mva == 3000);
  CHECK(*q.flicker->plt_max == 0.6);
  CHECK(*q.voltage_change_max_pct == 3);
  CHECK(*required_output_step_s(q) == doctest::Approx(0.0125));  // 4 samples per period of 20 Hz
  CHECK(required_duration_s(q) == doctest::Approx(900));
}

TEST_CASE("requirements: flicker asks for its output step and one Pst interval, Plt does not lengthen the run") {
  Requirements q;
  q.pcc = PccSpec{138, 2000, 10};
  q.flicker = FlickerLimit{0.8, std::nullopt};
  CHECK(*required_output_step_s(q) == doctest::Approx(kFlickerOutputStepS));
  CHECK(required_duration_s(q) == doctest::Approx(600));
  q.flicker = FlickerLimit{std::nullopt, 0.6};
  CHECK(required_duration_s(q) == 0);
  q.demand = WindowLimit{0.01, 10};
  CHECK(*required_output_step_s(q) == doctest::Approx(0.01));
}

TEST_CASE("requirements: every problem with its path, unknown keys with a hint") {
  const std::string p = problems_of(R"({
    "name": "",
    "ramp": [{"window_s": -1, "max_up_mw_per_s": 2}],
    "oscillation": [{"band_hz": [20, 0.1], "max_component_mw": 1}, {"band_hz": "low", "max_component_mw": 1}],
    "power_factor": {"min": 1.5},
    "demnd": {"window_s": 900, "max_mw": 50},
    "flicker": {}
  })");
  CAPTURE(p);
  for (const char* want : {"$.name", "$.ramp[0].window_s", "$.ramp[0].max_down_mw_per_s", "$.oscillation[0].band_hz",
                           "$.oscillation[1].band_hz", "$.power_factor.min", "did you mean \"demand\"", "$.flicker"})
    CHECK(p.find(want) != std::string::npos);
  CHECK(problems_of("{").find("req.json") != std::string::npos);
  CHECK(problems_of(R"({"name": "x"})").find("at least one requirement") != std::string::npos);
  CHECK(problems_of(R"({"name": "x", "flicker": {"pst_max": 1}})").find("$.pcc") != std::string::npos);
  CHECK(problems_of(R"({"name": "x", "demand": {"window_s": 9, "max_mw": 1}, "sources": {"a": 1}})").find("$.sources") != std::string::npos);
}

TEST_CASE("requirements: the shipped examples read") {
  for (const char* f : {"scenarios/requirements/strict-utility.json", "scenarios/requirements/lenient-utility.json"}) {
    CAPTURE(f);
    const Requirements q = load_requirements_file(test::source_path(f));
    CHECK_FALSE(q.empty());
    CHECK(q.sources.is_object());
  }
}

}  // namespace dctwin
