// Curtailment events answered by each flexibility strategy on tiny.json, by hand
// (sim/facility/curtailment.h). With a compute-only step the job's node draws the same power all
// the time, so the meter is constant (tests/unit/sim/facility/test_facility.cpp works it out):
//   job running (GPU 1000 W):  2184.047135465 W
//   job not running:            872.8941775424 W   -> stopping the job takes 1311.1529579226 W off
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sim/run.h"
#include "tests/support.h"

namespace test = dctwin::test;
using namespace dctwin;

namespace {

constexpr double kRunning = 2184.047135465, kStopped = 872.8941775424;

std::vector<std::string> base(const std::string& curtailment, const std::string& strategies) {
  return {"simulation.duration_s=60", "jobs.0.step=[{\"phase\": \"compute\", \"duration_s\": 1}]",
          "grid={\"curtailments\": [" + curtailment + "]}", "flexibility={\"strategies\": [" + strategies + "]}"};
}

json event(const std::vector<std::string>& overrides) {
  const RunResult r = run_scenario(test::load_tiny(overrides));
  REQUIRE(r.summary["curtailments"].is_array());
  REQUIRE(r.summary["curtailments"].size() == 1);
  return r.summary["curtailments"][0];
}

std::string input_error(const std::vector<std::string>& overrides) {
  try {
    (void)test::load_tiny(overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("curtailment: none asked, none in the summary") {
  const RunResult r = run_scenario(test::load_tiny());
  CHECK(r.summary["curtailments"].is_null());
}

TEST_CASE("curtailment: the facility battery alone holds a 10 % reduction") {
  // 2 kW / 1 kWh battery at 50 %: asked 0.1 x 2184.047 W = 218.4047 W, well inside its power and
  // energy (218.4 W x 20 s = 1.2 Wh). Recharge after: 218.4047 W x 20 s / 0.9 = 4853.4 J at up to
  // 2 kW: the first interval after the window draws the meter + 2 kW.
  auto o = base(R"({"at_s": 20, "notice_s": 5, "duration_s": 20, "reduce_pct": 10})", R"("facility_battery")");
  o.push_back(R"(campus.storage={"power_mw":0.002,"energy_mwh":0.001,"round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"grid_ramp_limit_mw_per_s":1})");
  const json e = event(o);
  CHECK(e["reference_mw"].get<double>() == doctest::Approx(kRunning * 1e-6).epsilon(1e-12));
  CHECK(e["asked_mw"].get<double>() == doctest::Approx(0.1 * kRunning * 1e-6).epsilon(1e-12));
  CHECK(e["achieved_mw"].get<double>() == doctest::Approx(0.1 * kRunning * 1e-6).epsilon(1e-9));
  CHECK(e["held"].get<bool>());
  CHECK(e["time_to_target_s"].get<double>() == 0);
  REQUIRE(e["strategies"].size() == 1);
  CHECK(e["strategies"][0]["name"] == "facility_battery");
  CHECK(e["strategies"][0]["mw"].get<double>() == doctest::Approx(0.1 * kRunning * 1e-6).epsilon(1e-9));
  CHECK(e["goodput_lost_gpu_hours"].get<double>() == 0);
  CHECK(e["energy_shifted_mwh"].get<double>() == doctest::Approx(0.1 * kRunning * 20 / 3.6e9).epsilon(1e-9));
  CHECK(e["rebound_peak_mw"].get<double>() == doctest::Approx((kRunning + 2000) * 1e-6).epsilon(1e-9));
}

TEST_CASE("curtailment: deferring a deferrable job alone meets a 50 % reduction") {
  auto o = base(R"({"at_s": 20, "notice_s": 0, "duration_s": 10, "reduce_pct": 50})", R"("defer")");
  o.push_back("jobs.0.deferrable=true");
  const json e = event(o);
  CHECK(e["asked_mw"].get<double>() == doctest::Approx(0.5 * kRunning * 1e-6).epsilon(1e-12));
  CHECK(e["achieved_mw"].get<double>() == doctest::Approx((kRunning - kStopped) * 1e-6).epsilon(1e-11));
  CHECK(e["held"].get<bool>());
  CHECK(e["strategies"][0]["jobs"] == json::array({"j"}));
  CHECK(e["goodput_lost_gpu_hours"].get<double>() == doctest::Approx(10.0 / 3600).epsilon(1e-12));
  CHECK(e["energy_shifted_mwh"].get<double>() == doctest::Approx((kRunning - kStopped) * 10 / 3.6e9).epsilon(1e-11));
  // Not deferrable: nothing to defer, the event is not held.
  const json n = event(base(R"({"at_s": 20, "notice_s": 0, "duration_s": 10, "reduce_pct": 50})", R"("defer")"));
  CHECK_FALSE(n["held"].get<bool>());
  CHECK(n["achieved_mw"].get<double>() == doctest::Approx(0).epsilon(1e-12));
  CHECK(n["time_to_target_s"].is_null());
}

TEST_CASE("curtailment: checkpoint then pause loses time, no work") {
  // A 4 s checkpoint within a 10 s notice: the job is idle over the 10 s window; it loses the
  // checkpoint and the window (14 GPU-s), not the steps since its last checkpoint.
  auto o = base(R"({"at_s": 20, "notice_s": 10, "duration_s": 10, "reduce_pct": 50})", R"("checkpoint_pause")");
  o.push_back(R"(jobs.0.checkpoint={"interval_s": 1000, "duration_s": 4})");
  const json e = event(o);
  CHECK(e["held"].get<bool>());
  CHECK(e["time_to_target_s"].get<double>() == 0);
  CHECK(e["achieved_mw"].get<double>() == doctest::Approx((kRunning - kStopped) * 1e-6).epsilon(1e-11));
  CHECK(e["goodput_lost_gpu_hours"].get<double>() == doctest::Approx(14.0 / 3600).epsilon(1e-12));
  // A 1 s notice: the pause starts 3 s into the window; the event is not held, the target is
  // reached at 3 s.
  auto late = base(R"({"at_s": 20, "notice_s": 1, "duration_s": 10, "reduce_pct": 50})", R"("checkpoint_pause")");
  late.push_back(R"(jobs.0.checkpoint={"interval_s": 1000, "duration_s": 4})");
  const json l = event(late);
  CHECK_FALSE(l["held"].get<bool>());
  CHECK(l["time_to_target_s"].get<double>() == 3);
  CHECK(l["achieved_mw"].get<double>() == doctest::Approx(0).epsilon(1e-12));
  // Capped first, then paused: the job's window is lost once, not also to the cap.
  auto both = base(R"({"at_s": 20, "notice_s": 10, "duration_s": 10, "reduce_pct": 55})", R"("power_cap", "checkpoint_pause")");
  both.push_back(R"(jobs.0.checkpoint={"interval_s": 1000, "duration_s": 4})");
  const json b = event(both);
  REQUIRE(b["strategies"].size() == 2);
  CHECK(b["held"].get<bool>());
  CHECK(b["goodput_lost_gpu_hours"].get<double>() == doctest::Approx(14.0 / 3600).epsilon(1e-12));
  CHECK(b["achieved_mw"].get<double>() == doctest::Approx((kRunning - kStopped) * 1e-6).epsilon(1e-11));
  // Without a checkpoint the job is not paused (it would lose the work since its last one).
  const json none = event(base(R"({"at_s": 20, "notice_s": 10, "duration_s": 10, "reduce_pct": 50})", R"("checkpoint_pause")"));
  CHECK(none["strategies"].empty());
}

TEST_CASE("curtailment: a power cap meets a 20 % reduction and slows the compute-bound step by the curve") {
  // Profile curve P_s = 150 W, a = 2.5, knee 0.5. The cap C = f x 1000 W found for the asked
  // reduction slows the compute phase by 1 / x with x from the curve (models/power/power_cap.h).
  auto o = base(R"({"at_s": 20, "notice_s": 0, "duration_s": 3600, "target_mw": 0.0017472377})", R"("power_cap")");
  o[0] = "simulation.duration_s=7200";
  o.push_back(R"(gpu_profiles.toy-gpu.power_cap={"static_w": 150, "exponent": 2.5, "knee_clock_ratio": 0.5})");
  o.push_back(R"(gpu_profiles.toy-gpu.sources.power_cap="assumption: test numbers")");
  o.push_back("simulation.output_step_s=60");
  const json e = event(o);
  CHECK(e["held"].get<bool>());
  CHECK(e["asked_mw"].get<double>() == doctest::Approx((kRunning - 1747.2377) * 1e-6).epsilon(1e-9));
  CHECK(e["achieved_mw"].get<double>() == doctest::Approx(e["asked_mw"].get<double>()).epsilon(1e-6));
  REQUIRE(e["strategies"].size() == 1);
  const double f = e["strategies"][0]["cap_fraction_of_tdp"].get<double>();
  const double r = (f * 1000 - 150) / (1000 - 150);
  const double x = r >= std::pow(0.5, 2.5) ? std::pow(r, 1 / 2.5) : r / std::pow(0.5, 1.5);
  CHECK(x < 1);
  CHECK(e["goodput_lost_gpu_hours"].get<double>() == doctest::Approx(3600 * (1 - x) / 3600).epsilon(1e-9));
}

TEST_CASE("curtailment: bad input names the JSON path") {
  CHECK(input_error({R"(grid={"curtailments": [{"at_s": 1, "notice_s": 0, "duration_s": 2}]})"})
            .find("$.grid.curtailments[0].reduce_pct") != std::string::npos);
  CHECK(input_error({R"(grid={"curtailments": [{"at_s": 1, "notice_s": 0, "duration_s": 2, "reduce_pct": 5, "target_mw": 1}]})"})
            .find("$.grid.curtailments[0].target_mw") != std::string::npos);
  CHECK(input_error({R"(grid={"curtailments": [{"at_s": 1, "notice_s": 0, "duration_s": 2, "reduce_pct": 120}]})"})
            .find("$.grid.curtailments[0].reduce_pct") != std::string::npos);
  CHECK(input_error({R"(grid={"curtailments": [{"at_s": 5, "notice_s": 0, "duration_s": 2, "reduce_pct": 5}, {"at_s": 6, "notice_s": 0, "duration_s": 1, "reduce_pct": 5}]})"})
            .find("$.grid.curtailments[1].at_s") != std::string::npos);
  CHECK(input_error({R"(grid={"curtailments": [{"at_s": 1, "notice_s": 0, "duration_s": 2, "reduce_pct": 5, "extra": 1}]})"})
            .find("$.grid.curtailments[0]") != std::string::npos);
  CHECK(input_error({R"(flexibility={"strategies": ["power_cap", "solar"]})"}).find("$.flexibility.strategies[1]") != std::string::npos);
  CHECK(input_error({R"(flexibility={"strategies": ["defer", "defer"]})"}).find("$.flexibility.strategies[1]") != std::string::npos);
  CHECK(input_error({R"(flexibility={"min_cap_fraction": 0})"}).find("$.flexibility.min_cap_fraction") != std::string::npos);
  CHECK(input_error({"jobs.0.deferrable=1"}).find("$.jobs[0].deferrable") != std::string::npos);
  // The default order when the object is absent.
  const Scenario sc = test::load_tiny();
  CHECK(sc.flexibility.strategies == default_flex_strategies());
  CHECK(sc.curtailments.empty());
}
