// GPU junction temperatures coupled to the run (sim/plant/gpu_thermal.h) and plant failures, on
// tests/data/tiny-cooling.json: one toy GPU (1000 W compute, 200 W communication, 100 W idle) on
// a cold plate (rack capture 0.5 > 0), 1 s compute + 1 s communication steps.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "models/thermal/gpu_junction.h"
#include "sim/plant/cooling_plant.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
std::string gpu_thermal(double r, double tau, double throttle, double limit, const std::string& extra = "") {
  return "cooling.gpu_thermal={\"r_th_k_w\": " + std::to_string(r) + ", \"tau_s\": " + std::to_string(tau) +
         ", \"throttle_c\": " + std::to_string(throttle) + ", \"limit_c\": " + std::to_string(limit) + extra + "}";
}
const char* kLeak = ", \"leakage\": {\"reference_c\": 30, \"w_at_reference\": 50, \"doubling_k\": 20}, \"power_tolerance_w\": 1e-6";

const CoolingAlarm* first_alarm(const CoolingOutcome& c, const std::string& kind) {
  for (const auto& a : c.alarms)
    if (a.kind == kind) return &a;
  return nullptr;
}

// A feedback that holds fixed per-cohort caps and no leakage.
struct FixedCaps : EngineFeedback {
  double cap;
  explicit FixedCaps(double c) : cap(c) {}
  bool update(SimTime, std::vector<double>&, std::vector<double>& cap_w) override {
    std::fill(cap_w.begin(), cap_w.end(), cap);
    return false;
  }
};
}  // namespace

TEST_CASE("gpu thermal: without gpu_thermal the junction keys are null and named as not modelled") {
  const RunResult r = run_scenario(test::load_tiny_cooling());
  CHECK(r.summary["max_junction_c"].is_null());
  CHECK(r.summary["throttled_gpu_hours"].is_null());
  CHECK(r.summary["not_modelled"].dump().find("GPU junction temperatures") != std::string::npos);
  const RunResult plain = run_scenario(test::load_tiny());
  CHECK(plain.summary["max_junction_c"].is_null());
}

TEST_CASE("gpu thermal: with a fast junction the peak is the TCS supply plus R x compute power") {
  // tau 0.01 s << the 1 s thermal step: each step lands on its steady value, and the compute
  // steps see the highest TCS supply (the most liquid heat).
  const RunResult r = run_scenario(test::load_tiny_cooling({gpu_thermal(0.05, 0.01, 120, 130)}));
  const json& s = r.summary;
  REQUIRE(s["max_junction_c"].is_number());
  const double tcs = s["cooling"]["max_tcs_supply_c"].get<double>();
  CHECK(s["max_junction_c"].get<double>() == doctest::Approx(tcs + 0.05 * 1000.0).epsilon(1e-9));
  CHECK(s["throttled_gpu_hours"].get<double>() == 0.0);
  CHECK(s["gpu_thermal"]["cohorts"].size() == 1);
  CHECK(s["gpu_thermal"]["cohorts"][0]["cooling"] == "liquid");
  CHECK(s["gpu_thermal"]["leakage_energy_mwh"].is_null());
}

TEST_CASE("gpu thermal: leakage adds exactly the energy it reports, and heats up the GPU") {
  const RunResult base = run_scenario(test::load_tiny_cooling({gpu_thermal(0.05, 0.01, 120, 130)}));
  const RunResult leak = run_scenario(test::load_tiny_cooling({gpu_thermal(0.05, 0.01, 120, 130, kLeak)}));
  const double leak_j = leak.engine.cooling->gpu->leakage_energy_j;
  // The GPU sits above the 30 °C reference (the TCS supply alone is ~20 °C), so leakage is positive.
  CHECK(leak_j > 0);
  const double gpu_base = base.engine.recorder.it_energy_j().gpu_w, gpu_leak = leak.engine.recorder.it_energy_j().gpu_w;
  CHECK(gpu_leak - gpu_base == doctest::Approx(leak_j).epsilon(1e-9));
  CHECK(leak.summary["max_junction_c"].get<double>() > base.summary["max_junction_c"].get<double>());
  CHECK(leak.summary["it_energy_mwh"].get<double>() > base.summary["it_energy_mwh"].get<double>());
  // Heat and energy balances still hold (run_scenario throws otherwise); state them anyway.
  CHECK(leak.summary["cooling"]["heat_balance_rel_error"].get<double>() < 1e-6);
  CHECK(leak.summary["energy_balance_rel_error"].get<double>() < 1e-9);
}

TEST_CASE("gpu thermal: a thermal cap slows the compute phase by the DVFS relation") {
  // Cap 550 W on a 1000 W compute phase, idle 100 W, exponent 3: clock (450/900)^(1/3), compute
  // 1 s -> 2^(1/3) = 1.259921 s; the step 2.259921 s. In 11 s: steps end at 2, 4, 6, 8, 10 free;
  // capped (from the first tick, t = 1 s) at 2, 4.26, 6.52, 8.78: 4 steps instead of 5.
  const Scenario sc = test::load_tiny({"simulation.duration_s=11"});
  const Facility f(sc);
  FixedCaps caps(550.0);
  EngineOptions eo;
  eo.feedback = &caps;
  const EngineResult capped = run_engine(sc, f, eo);
  const EngineResult free = run_engine(sc, f);
  CHECK(free.job_stats[0].steps_completed == 5);
  CHECK(capped.recorder.energy_j()[kIt] < free.recorder.energy_j()[kIt]);
  CHECK(capped.job_stats[0].steps_completed == 4);
  // Ticks with no cap change nothing.
  FixedCaps none(std::numeric_limits<double>::infinity());
  EngineOptions en;
  en.feedback = &none;
  const EngineResult same = run_engine(sc, f, en);
  CHECK(same.recorder.energy_j() == free.recorder.energy_j());
  CHECK(same.job_stats[0].steps_completed == 5);
  // GPU energy of the capped run by hand: step 1 computes uncapped (1 s x 1000 W); steps 2..5
  // compute 1.259921 s each at 550 W; communication at 200 W: 1 s in steps 1..4, then what is left
  // of the 11 s in step 5.
  const double c = std::cbrt(2.0);
  const double comm5 = 11.0 - (2.0 + 4.0 * c + 3.0);
  const double gpu_j = 1000.0 + 4.0 * 550.0 * c + 200.0 * (4.0 + comm5);
  const double idle_node_gpu_j = 100.0 * 11.0;  // the second node's GPU is not in the job
  CHECK(capped.recorder.it_energy_j().gpu_w == doctest::Approx(gpu_j + idle_node_gpu_j).epsilon(1e-6));
}

TEST_CASE("gpu thermal: warm coolant throttles the GPU, slows the job and raises alarms") {
  // R 0.05: compute alone would put the junction ~50 K above the TCS supply; throttle at 45 °C.
  const RunResult cool = run_scenario(test::load_tiny_cooling({"simulation.duration_s=60", gpu_thermal(0.05, 2, 120, 130)}));
  const RunResult hot = run_scenario(test::load_tiny_cooling({"simulation.duration_s=60", gpu_thermal(0.05, 2, 45, 50)}));
  CHECK(cool.summary["throttled_gpu_hours"].get<double>() == 0.0);
  CHECK(hot.summary["throttled_gpu_hours"].get<double>() > 0.0);
  CHECK(hot.summary["max_junction_c"].get<double>() < cool.summary["max_junction_c"].get<double>());
  CHECK(hot.engine.job_stats[0].steps_completed < cool.engine.job_stats[0].steps_completed);
  REQUIRE(first_alarm(*hot.engine.cooling, "gpu_thermal_throttling") != nullptr);
  CHECK(first_alarm(*hot.engine.cooling, "gpu_thermal_throttling")->place.find("job j") == 0);
  CHECK(first_alarm(*cool.engine.cooling, "gpu_thermal_throttling") == nullptr);
}

TEST_CASE("plant failure: losing a CDU raises the TCS supply and the junction temperature") {
  const std::string two_cdus = "cooling.cdu.redundancy=\"N+1\"";
  const RunResult ok = run_scenario(test::load_tiny_cooling({two_cdus, gpu_thermal(0.05, 2, 120, 130)}));
  const RunResult lost = run_scenario(test::load_tiny_cooling(
      {two_cdus, gpu_thermal(0.05, 2, 120, 130), "cooling.failures=[{\"unit\": \"cdu\", \"at_s\": 2}]"}));
  CHECK(lost.summary["cooling"]["max_tcs_supply_c"].get<double>() > ok.summary["cooling"]["max_tcs_supply_c"].get<double>());
  CHECK(lost.summary["max_junction_c"].get<double>() > ok.summary["max_junction_c"].get<double>());
  REQUIRE(lost.summary["plant_failures"].size() == 1);
  CHECK(lost.summary["plant_failures"][0]["unit"] == "cdu");
  CHECK(lost.summary["plant_failures"][0]["end_s"].is_null());
}

TEST_CASE("plant failure: losing one of two chillers that are both needed: capacity alarm right after") {
  // Two 1.2 kW chillers, no economizer, ~1.55 kW of heat reaching the plant (the loop, settled at
  // the step-mean heat, smooths the 1 s compute / communication phases): one chiller is not enough.
  const std::vector<std::string> base = {"simulation.duration_s=20", "cooling.heat_rejection.economizer.enabled=false",
                                         "cooling.heat_rejection.chillers.count=2", "cooling.heat_rejection.chillers.redundancy=\"N\"",
                                         "cooling.heat_rejection.chillers.ref_capacity_kw=1.2"};
  const RunResult ok = run_scenario(test::load_tiny_cooling(base));
  CHECK(first_alarm(*ok.engine.cooling, "plant_capacity_exceeded") == nullptr);
  auto failed = base;
  failed.push_back("cooling.failures=[{\"unit\": \"chiller\", \"at_s\": 6, \"duration_s\": 8}]");
  const RunResult r = run_scenario(test::load_tiny_cooling(failed));
  const CoolingAlarm* a = first_alarm(*r.engine.cooling, "plant_capacity_exceeded");
  REQUIRE(a != nullptr);
  CHECK(a->start_s >= 6.0);
  CHECK(a->start_s < 8.0);  // the first compute phase after the failure
  const json& f = r.summary["plant_failures"][0];
  CHECK(f["end_s"].get<double>() == 14.0);
  CHECK(f["first_alarm"]["kind"] == "plant_capacity_exceeded");
  CHECK(f["time_to_first_alarm_s"].get<double>() == doctest::Approx(a->start_s - 6.0));
  for (const auto& x : r.engine.cooling->alarms)
    if (x.kind == "plant_capacity_exceeded") CHECK(x.end_s <= 15.0);  // back to two chillers at 14 s
}

TEST_CASE("plant failure: bad failures name their JSON path") {
  auto err = [](const std::string& set) {
    try {
      run_scenario(test::load_tiny_cooling({set}));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(err("cooling.failures=[{\"unit\": \"cdu\", \"at_s\": 2}]").find("$.cooling.failures[0].count") != std::string::npos);
  CHECK(err("cooling.failures=[{\"unit\": \"pump\", \"at_s\": 2}]").find("$.cooling.failures[0].unit") != std::string::npos);
  CHECK(err("cooling.failures=[{\"unit\": \"dry_cooler\", \"at_s\": 2}]").find("has none") != std::string::npos);
  CHECK(err(gpu_thermal(0.05, 2, 90, 80)).find("$.cooling.gpu_thermal.limit_c") != std::string::npos);
}

TEST_CASE("gpu thermal: runaway is detected, stops the run and is reported (not a NaN heat balance)") {
  // Leakage 200 W at 30 °C doubling every 20 K behind R 0.05 K/W. By hand (python3 math):
  //   T* = 30 + 20 log2(20 / (0.05 x 200 x ln2)) = 60.575327 °C (R dL/dT = 1 there);
  //   critical coolant at the 1000 W compute phase: T* - 20/ln2 - 0.05 (1000 - 200) = -8.278573 °C,
  //   so with a ~20 °C TCS supply computing has no steady state; the throttle at 120 °C sits above
  //   T* and cannot hold it. Before detection the junction climbed to a NaN and the run ended with
  //   "cooling heat balance violated" (ConservationError, exit 4).
  const std::string leak = ", \"leakage\": {\"reference_c\": 30, \"w_at_reference\": 200, \"doubling_k\": 20}";
  const RunResult r = run_scenario(test::load_tiny_cooling({"simulation.duration_s=120", gpu_thermal(0.05, 2, 120, 130, leak)}));
  const json& s = r.summary;
  REQUIRE(s["thermal_runaway"].is_object());
  const json& x = s["thermal_runaway"];
  CHECK(x["cohort"] == "job j");
  CHECK(x["runaway_point_c"].get<double>() == doctest::Approx(60.57532746).epsilon(1e-9));
  CHECK(s["gpu_thermal"]["cohorts"][0]["runaway_coolant_c"].get<double>() == doctest::Approx(-8.27857336).epsilon(1e-9));
  const double tj = x["junction_c"].get<double>(), tc = x["coolant_c"].get<double>();
  CHECK(tj > 60.57532746);
  CHECK(std::isfinite(tj));
  CHECK(x["r_dl_dt"].get<double>() == doctest::Approx(0.05 * 200 * std::log(2.0) / 20 * std::exp2((tj - 30) / 20)).epsilon(1e-12));
  CHECK(x["r_dl_dt"].get<double>() > 1.0);
  // Past the point of no return: even at the 100 W idle power the junction still heats.
  CHECK(tc + 0.05 * (100 + 200 * (std::exp2((tj - 30) / 20) - 1)) > tj);
  CHECK(x["reason"].get<std::string>().find("runaway point") != std::string::npos);
  // The run stopped at the detection: partial results up to there, balances intact.
  CHECK(r.engine.halted);
  CHECK(s["partial"] == true);
  CHECK(s["duration_s"].get<double>() == x["t_s"].get<double>());
  CHECK(x["t_s"].get<double>() < 120.0);
  CHECK(s["energy_balance_rel_error"].get<double>() < 1e-9);
  CHECK(s["cooling"]["heat_balance_rel_error"].get<double>() < 1e-6);
  const CoolingAlarm* a = first_alarm(*r.engine.cooling, "gpu_thermal_runaway");
  REQUIRE(a != nullptr);
  CHECK(a->start_s == x["t_s"].get<double>());
  CHECK(a->place.find("job j") == 0);
  // A throttle below T* (45 °C: R dL/dT = 0.05 x 200 ln2 / 20 x 2^0.75 = 0.58 < 1 there) holds it.
  const RunResult held = run_scenario(test::load_tiny_cooling({"simulation.duration_s=120", gpu_thermal(0.05, 2, 45, 130, leak)}));
  CHECK(held.summary["thermal_runaway"].is_null());
  CHECK(held.summary["partial"] == false);
  CHECK(held.summary["throttled_gpu_hours"].get<double>() > 0);
  // Mild leakage (kLeak: T* = 100.6 °C, critical coolant 24.2 °C at 1000 W) does not run away.
  const RunResult mild = run_scenario(test::load_tiny_cooling({gpu_thermal(0.05, 0.01, 120, 130, kLeak)}));
  CHECK(mild.summary["thermal_runaway"].is_null());
  CHECK(run_scenario(test::load_tiny_cooling()).summary["thermal_runaway"].is_null());
}

TEST_CASE("gpu thermal: GPUs that cannot even idle at the starting coolant run away at the first step") {
  // R 0.5 K/W with the same leakage: T* = 30 + 20 log2(20 / (0.5 x 200 x ln2)) = -5.863234 °C;
  // critical coolant at the 100 W idle power: T* - 20/ln2 - 0.5 (100 - 200) = 15.282865 °C, below
  // the ~20 °C TCS supply: there is no idle steady state to start from. (Before, the start was
  // clamped to 250 °C and the first step jumped to ~80,000 °C.)
  const std::string leak = ", \"leakage\": {\"reference_c\": 30, \"w_at_reference\": 200, \"doubling_k\": 20}";
  const RunResult r = run_scenario(test::load_tiny_cooling({"simulation.duration_s=120", gpu_thermal(0.5, 2, 120, 130, leak)}));
  const json& x = r.summary["thermal_runaway"];
  REQUIRE(x.is_object());
  CHECK(x["t_s"].get<double>() == 0.0);
  CHECK(x["junction_c"].is_null());
  CHECK(x["r_dl_dt"].is_null());
  CHECK(x["runaway_point_c"].get<double>() == doctest::Approx(-5.86323444).epsilon(1e-9));
  CHECK(x["coolant_c"].get<double>() > 15.28286474);
  CHECK(x["reason"].get<std::string>().find("above 15.3 C coolant at idle") != std::string::npos);
  CHECK(r.summary["partial"] == true);
  CHECK(r.summary["duration_s"].get<double>() <= 1.0);
  CHECK(r.summary["max_junction_c"].is_null());  // no junction temperature was ever computed, not 0
}

TEST_CASE("gpu thermal: junction spans (thermal step a whole number of output steps) match the per-piece update") {
  // Four cohorts with their own compute ends (jitter): each cohort's junction is integrated between
  // its own changes (T = U + V, docs/design.md "Junction spans") when the thermal step is a multiple
  // of the output step (1 s and 1 s), piece by piece otherwise (output 0.3 s). The engine's pieces
  // are the same in both (cut at events and the thermal grid), so temperatures, maxima and leakage
  // energy agree up to rounding.
  auto run = [](const char* output_step) {
    return run_scenario(test::load_tiny_cooling(
        {gpu_thermal(0.05, 2, 120, 130, ", \"leakage\": {\"reference_c\": 30, \"w_at_reference\": 50, \"doubling_k\": 20}"),
         "campus.halls.0.rows.0.racks.0.count=4", "rack_types.r1.nodes.0.count=1", "jobs.0.gpus=4",
         "jobs.0.jitter={\"compute_cv\": 0.1, \"cohorts\": 4}", "simulation.duration_s=60",
         std::string("simulation.output_step_s=") + output_step}));
  };
  const RunResult spans = run("1"), pieces = run("0.3");
  const GpuThermalOutcome& a = *spans.engine.cooling->gpu;
  const GpuThermalOutcome& b = *pieces.engine.cooling->gpu;
  REQUIRE(a.cohorts.size() == 4);
  REQUIRE(b.cohorts.size() == 4);
  CHECK(a.max_junction_c == doctest::Approx(b.max_junction_c).epsilon(1e-12));
  CHECK(a.leakage_energy_j == doctest::Approx(b.leakage_energy_j).epsilon(1e-12));
  CHECK(a.leakage_energy_j > 0);
  for (std::size_t c = 0; c < a.cohorts.size(); ++c)
    CHECK(a.cohorts[c].max_junction_c == doctest::Approx(b.cohorts[c].max_junction_c).epsilon(1e-12));
  CHECK(spans.engine.recorder.it_energy_j().gpu_w == doctest::Approx(pieces.engine.recorder.it_energy_j().gpu_w).epsilon(1e-12));
  // The cohorts' compute ends differ (else there is nothing to integrate between).
  CHECK(a.cohorts[0].max_junction_c != a.cohorts[3].max_junction_c);
}
