// Curtailment events answered by each flexibility strategy on tiny.json, by hand
// (sim/facility/curtailment.h). With a compute-only step the job's node draws the same power all
// the time, so the meter is constant (tests/unit/sim/facility/test_facility.cpp works it out):
//   job running (GPU 1000 W):  2184.047135465 W
//   job not running:            872.8941775424 W   -> stopping the job takes 1311.1529579226 W off
#include <doctest/doctest.h>

#include <algorithm>
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

TEST_CASE("curtailment: pauses pick the smallest job that meets the need, else the largest") {
  // A rack of 3 one-GPU nodes: job "big" on 2 GPUs, job "small" on 1, both checkpointed. Stopping
  // "small" takes less off the meter than stopping "big" (one node against two).
  const std::string jobs =
      R"(jobs=[{"name": "big", "kind": "training", "gpus": 2, "start_s": 0, "stop_s": null,
                "step": [{"phase": "compute", "duration_s": 1}], "checkpoint": {"interval_s": 1000, "duration_s": 4}},
               {"name": "small", "kind": "training", "gpus": 1, "start_s": 0, "stop_s": null,
                "step": [{"phase": "compute", "duration_s": 1}], "checkpoint": {"interval_s": 1000, "duration_s": 4}}])";
  const auto run = [&](double pct) {
    std::vector<std::string> o = {"simulation.duration_s=60", "rack_types.r1.nodes.0.count=3", jobs,
                                  "grid={\"curtailments\": [{\"at_s\": 20, \"notice_s\": 10, \"duration_s\": 10, \"reduce_pct\": " +
                                      std::to_string(pct) + "}]}",
                                  R"(flexibility={"strategies": ["checkpoint_pause"]})"};
    return event(o);
  };
  // 10 %: one node's stop is enough, so "small" alone (largest-first would have stopped "big").
  const json a = run(10);
  CHECK(a["held"].get<bool>());
  REQUIRE(a["strategies"].size() == 1);
  CHECK(a["strategies"][0]["jobs"] == json::array({"small"}));
  CHECK(a["goodput_lost_gpu_hours"].get<double>() == doctest::Approx(14.0 / 3600).epsilon(1e-12));
  // 90 %: no single job is enough: "big" first, then "small".
  const json b = run(90);
  REQUIRE(b["strategies"].size() == 1);
  CHECK(b["strategies"][0]["jobs"] == json::array({"big", "small"}));
  CHECK(b["goodput_lost_gpu_hours"].get<double>() == doctest::Approx(3 * 14.0 / 3600).epsilon(1e-12));
  // Stopping "small" alone took less off than both: the 10 % event's reduction is the smaller.
  CHECK(a["achieved_mw"].get<double>() < b["achieved_mw"].get<double>());
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

namespace {

// tiny.json's meter with its job's node running and its GPU at g W, by hand as
// tests/unit/sim/facility/test_facility.cpp works it out: node Q = g + 150 W of active components,
// fan 50 W x max(Q / 1150, 0.4)^3; two PSUs share the node's DC power (2000 W rated, efficiency
// 0.8 at 10 % load rising to 0.9 at 70 %, 50 W each below 10 %); IT = node AC + the idle node
// (278.2 W) + rack equipment (200 W); then busway, UPS, switchgear and transformer losses.
double meter_with_gpu_w(double g) {
  const double q = g + 150, s = std::max(q / 1150, 0.4);
  const double dc = q + 50 * s * s * s, per_psu = dc / 2, x = per_psu / 2000;
  const double psu_loss = x < 0.1 ? 2 * 50.0 : 2 * (per_psu / (0.8 + (x - 0.1) / 0.6 * 0.1) - per_psu);
  const double it = dc + psu_loss + 278.2 + 200;
  const double ups_out = it + 5e-7 * it * it, u = ups_out / 1e4;
  const double sg_out = ups_out + 1e4 * (0.01 + 0.02 * u + 0.05 * u * u);
  const double tr_out = sg_out + 1e-7 * sg_out * sg_out, t = tr_out / 0.8 / 20000;
  return tr_out + 100 + 400 * t * t;
}

}  // namespace

TEST_CASE("curtailment: shedding inference alone meets a 10 % reduction, and tops out at the service's idle power") {
  // The job is an inference service at a constant 80 % of its request capacity (diurnal profile
  // with min = max): its GPU draws, with the serving defaults (tests/unit/sim/output/
  // test_dynamics.cpp derives it), g0 = 100 + f_p 900 + (1 - f_p) 0.37 x 900 W.
  const double t0 = 5.99e-3, t1 = 5.62e-5, prefill_s = 1000.0 / 30800;
  const double c = prefill_s + 300 * (t0 + 256 * t1) / 256, fp = 0.8 * prefill_s / c;
  const double batch = 0.8 / c * 300 * t0 / (1 - fp - 0.8 / c * 300 * t1);
  REQUIRE(batch > 1);
  REQUIRE(batch < 256);  // decode keeps up inside the batch limit: decode busy = 1 - f_p
  const double g0 = 100 + fp * 900 + (1 - fp) * 0.37 * 900;
  CHECK(meter_with_gpu_w(1000) == doctest::Approx(kRunning).epsilon(1e-12));  // the hand chain, checked
  const double ref = meter_with_gpu_w(g0);
  const std::string service =
      R"(jobs.0={"name":"chat","kind":"inference","gpus":1,"start_s":0,"stop_s":null,)"
      R"("inference":{"min_utilization":0.8,"max_utilization":0.8,"peak_hour":14}})";
  auto o = base(R"({"at_s": 30, "notice_s": 0, "duration_s": 20, "reduce_pct": 10})", R"("inference_shed")");
  o[1] = service;
  const json e = event(o);
  CHECK(e["reference_mw"].get<double>() == doctest::Approx(ref * 1e-6).epsilon(1e-11));
  CHECK(e["asked_mw"].get<double>() == doctest::Approx(0.1 * ref * 1e-6).epsilon(1e-11));
  CHECK(e["held"].get<bool>());
  CHECK(e["time_to_target_s"].get<double>() == 0);
  REQUIRE(e["strategies"].size() == 1);
  CHECK(e["strategies"][0]["name"] == "inference_shed");
  // The share s of the service's load above idle that takes 10 % off the meter, by bisection on the
  // hand chain: GPU at g0 - s (g0 - 100).
  double lo = 0, hi = 1;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (ref - meter_with_gpu_w(g0 - mid * (g0 - 100)) >= 0.1 * ref ? hi : lo) = mid;
  }
  CHECK(hi > 0.1);
  CHECK(hi < 0.9);
  CHECK(e["strategies"][0]["shed_fraction"].get<double>() == doctest::Approx(hi).epsilon(1e-9));
  CHECK(e["strategies"][0]["mw"].get<double>() == doctest::Approx(0.1 * ref * 1e-6).epsilon(1e-9));
  CHECK(e["achieved_mw"].get<double>() == doctest::Approx(0.1 * ref * 1e-6).epsilon(1e-9));
  // The shed share of one GPU over the 20 s window.
  CHECK(e["goodput_lost_gpu_hours"].get<double>() == doctest::Approx(hi * 20 / 3600).epsilon(1e-9));

  // 50 % is more than the service can give: all of it shed (GPU at idle, node still up), the
  // event not held, achieved = the meter with the service's GPU at 100 W below the reference.
  auto deep = base(R"({"at_s": 30, "notice_s": 0, "duration_s": 20, "reduce_pct": 50})", R"("inference_shed")");
  deep[1] = service;
  const json d = event(deep);
  const double all_shed_w = ref - meter_with_gpu_w(100);
  CHECK(all_shed_w < 0.5 * ref);
  CHECK_FALSE(d["held"].get<bool>());
  CHECK(d["time_to_target_s"].is_null());
  CHECK(d["strategies"][0]["shed_fraction"].get<double>() == 1.0);
  CHECK(d["strategies"][0]["mw"].get<double>() == doctest::Approx(all_shed_w * 1e-6).epsilon(1e-9));
  CHECK(d["achieved_mw"].get<double>() == doctest::Approx(all_shed_w * 1e-6).epsilon(1e-9));
  // Without an inference job there is nothing to shed.
  const json none = event(base(R"({"at_s": 30, "notice_s": 0, "duration_s": 20, "reduce_pct": 10})", R"("inference_shed")"));
  CHECK(none["strategies"].empty());
  CHECK_FALSE(none["held"].get<bool>());
}
