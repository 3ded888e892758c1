// cooling.gpu_thermal takes its figures from the GPU profiles by default (sim/input/cooling_spec.cpp,
// read_gpu_thermal): the cold plate's R and tau for racks with liquid capture > 0, the air heat
// sink's otherwise, throttle_c = max_operating_c and limit_c = slowdown_c; explicit keys override.
// Every shipped scenario models junction temperatures, so max_junction_c is a number.
#include <doctest/doctest.h>

#include <cmath>

#include "models/thermal/gpu_junction.h"
#include "sim/input/gpu_profile.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
Scenario load_shipped(const std::string& name, std::vector<std::string> overrides = {}) {
  LoadOptions lo;
  lo.overrides = std::move(overrides);
  return load_scenario_file(test::source_path("scenarios/" + name), lo);
}

// tests/data/tiny-cooling.json's toy GPU given thermal figures (round test numbers).
std::vector<std::string> toy_thermal(std::vector<std::string> more) {
  std::vector<std::string> o = {
      "gpu_profiles.toy-gpu.thermal={\"max_operating_c\": 80, \"slowdown_c\": 85, \"shutdown_c\": 90, "
      "\"cold_plate\": {\"r_th_k_w\": 0.04, \"tau_s\": 0.01}, \"air\": {\"r_th_k_w\": 0.1, \"tau_s\": 30}}",
      "gpu_profiles.toy-gpu.sources.thermal_limits=\"assumption: round test numbers\"",
      "gpu_profiles.toy-gpu.sources.thermal_cold_plate=\"assumption: round test numbers\"",
      "gpu_profiles.toy-gpu.sources.thermal_air=\"assumption: round test numbers\""};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}
}  // namespace

TEST_CASE("gpu thermal defaults: an air-cooled rack takes the profile's air heat-sink figures and thresholds") {
  const Scenario sc = load_shipped("mai1-15k-h100.json");
  REQUIRE(sc.cooling);
  REQUIRE(sc.cooling->gpu_thermal);
  const power::GpuProfile h100 = load_builtin_profile("h100-sxm");
  REQUIRE(h100.thermal);
  for (const auto& p : sc.cooling->gpu_thermal->by_rack_type) {
    CHECK(p.r_th_k_w == h100.thermal->air_r_th_k_w);
    CHECK(p.tau_s == h100.thermal->air_tau_s);
    CHECK(p.throttle_c == h100.thermal->max_operating_c);
    CHECK(p.limit_c == h100.thermal->slowdown_c);
    CHECK(p.leakage_w_at_ref == 0.0);
    // Hand-computed from the profile's R = 0.079 K/W and tau = 50 s: 700 W from 24 C inlet air.
    CHECK(thermal::gpu_junction_steady_c(p, 700.0, 24.0) == doctest::Approx(24.0 + 0.079 * 700.0).epsilon(1e-12));
    const double one_tau = 24.0 + 0.079 * 700.0 * (1.0 - std::exp(-1.0));  // 58.956 C after 50 s
    CHECK(thermal::gpu_junction_step_c(p, 24.0, 700.0, 24.0, 50.0) == doctest::Approx(one_tau).epsilon(1e-12));
    CHECK(one_tau == doctest::Approx(58.9563).epsilon(1e-5));
  }
}

TEST_CASE("gpu thermal defaults: a cold-plate rack takes the profile's cold-plate figures") {
  const Scenario sc = load_shipped("gb200-nvl72-campus.json");
  REQUIRE(sc.cooling);
  REQUIRE(sc.cooling->gpu_thermal);
  const power::GpuProfile gb200 = load_builtin_profile("gb200");
  bool any = false;
  for (std::size_t i = 0; i < sc.rack_types.size(); ++i) {
    const auto& p = sc.cooling->gpu_thermal->by_rack_type[i];
    if (std::isnan(p.r_th_k_w)) continue;  // a rack type without GPUs
    any = true;
    CHECK(sc.cooling->capture_by_rack_type[i] > 0);
    CHECK(p.r_th_k_w == gb200.thermal->cold_plate_r_th_k_w);
    CHECK(p.tau_s == gb200.thermal->cold_plate_tau_s);
    // Hand-computed: 1,200 W on R = 0.03 K/W over 35 C water, after one tau = 2 s from 35 C.
    CHECK(thermal::gpu_junction_steady_c(p, 1200.0, 35.0) == doctest::Approx(71.0).epsilon(1e-12));
    CHECK(thermal::gpu_junction_step_c(p, 35.0, 1200.0, 35.0, 2.0) == doctest::Approx(35.0 + 36.0 * (1.0 - std::exp(-1.0))).epsilon(1e-12));
  }
  CHECK(any);
}

TEST_CASE("gpu thermal defaults: explicit keys override the profile, and missing figures are input errors") {
  const Scenario sc = test::load_tiny_cooling(toy_thermal({"cooling.gpu_thermal={\"tau_s\": 5, \"limit_c\": 99}"}));
  const auto& p = sc.cooling->gpu_thermal->by_rack_type.at(0);
  CHECK(p.r_th_k_w == 0.04);  // profile, cold plate (capture 0.5 > 0)
  CHECK(p.tau_s == 5.0);      // explicit
  CHECK(p.throttle_c == 80.0);
  CHECK(p.limit_c == 99.0);

  try {
    (void)test::load_tiny_cooling({"cooling.gpu_thermal={}"});
    FAIL("a profile without thermal figures and no explicit keys must be refused");
  } catch (const InputError& e) {
    const std::string all = e.what();
    for (const char* key : {"r_th_k_w", "tau_s", "throttle_c", "limit_c"}) CHECK(all.find(key) != std::string::npos);
    CHECK(all.find("toy-gpu") != std::string::npos);
  }
  CHECK_THROWS_AS(test::load_tiny_cooling(toy_thermal({"cooling.gpu_thermal={\"throttle_c\": 95}"})), InputError);  // above slowdown 85
}

TEST_CASE("gpu thermal defaults: the run's peak is the TCS supply plus the profile's R x compute power") {
  // The profile's cold-plate tau 0.01 s << the 1 s thermal step: every step lands on its steady value.
  const RunResult r = run_scenario(test::load_tiny_cooling(toy_thermal({"cooling.gpu_thermal={}"})));
  REQUIRE(r.summary["max_junction_c"].is_number());
  const double tcs = r.summary["cooling"]["max_tcs_supply_c"].get<double>();
  CHECK(r.summary["max_junction_c"].get<double>() == doctest::Approx(tcs + 0.04 * 1000.0).epsilon(1e-9));
  CHECK(r.summary["gpu_thermal"]["cohorts"][0]["r_th_k_w"].get<double>() == 0.04);
}

TEST_CASE("gpu thermal defaults: every shipped scenario's summary has a numeric max_junction_c") {
  for (const char* name : {"mai1-15k-h100.json", "campus-100k-h100.json", "gb200-nvl72-campus.json", "gb300-nvl72-campus.json"}) {
    CAPTURE(name);
    const Scenario sc = load_shipped(name, {"simulation.duration_s=120", "simulation.output_step_s=1"});
    REQUIRE(sc.cooling);
    REQUIRE(sc.cooling->gpu_thermal);
    const RunResult r = run_scenario(sc);
    REQUIRE(r.summary["max_junction_c"].is_number());
    const double tj = r.summary["max_junction_c"].get<double>();
    CHECK(tj > 20.0);
    CHECK(tj < 150.0);
  }
}
