// Jobs fail when a grid event cuts their racks' supply (sim/jobs/it_power_loss.h, JobRunner's
// power losses, sim/run.h rerun_with_power_losses). Hand-checkable on tiny.json: one rack of two
// one-GPU nodes, job j on one GPU, steps of 2 s (compute 1 s + communication 1 s), a checkpoint of
// 1 s once 10 s have passed since the last (so checkpoints end at 11, 22, 33, 44, 55 s, after
// every 5 steps), restart 3 s and reload 2 s, a node MTBF so long that no random failure falls in
// the run. UPS 10 kW.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/facility/facility.h"
#include "sim/jobs/it_power_loss.h"
#include "sim/output/grid_summary.h"
#include "sim/run.h"
#include "tests/support.h"

namespace dctwin {
namespace {

Scenario grid_tiny(const std::string& events, const std::string& equipment = "{}") {
  return test::load_tiny({"simulation.duration_s=300",
                          R"(jobs.0.checkpoint={"interval_s":10,"duration_s":1})",
                          R"(jobs.0.failures={"node_mtbf_h":1e9,"restart_s":3,"reload_s":2})",
                          "grid={\"events\": " + events + ", \"equipment\": " + equipment + "}"});
}

// A UPS whose battery holds the rack for a fraction of a second (0.001 min at 10 kW: 600 J), no
// generator, servers back 20 s after the UPS has retransferred.
const char* kSmallBattery = R"({"ups": {"autonomy_rated_min": 0.001}, "it_restart_s": 20})";

// tiny.json with two racks (the job's, then one of idle nodes), a 30 s outage at 50 s, the default
// UPS, `on_ups` of the IT behind it, servers back 20 s after their supply.
Scenario two_racks_outage(double on_ups) {
  return test::load_tiny({"simulation.duration_s=300", "campus.halls.0.rows.0.racks.0.count=2",
                          R"(jobs.0.failures={"node_mtbf_h":1e9,"restart_s":3,"reload_s":2})",
                          R"(grid={"events": [{"kind": "outage", "at_s": 50, "duration_s": 30}],)"
                          R"( "equipment": {"it_on_ups_fraction": )" + json(on_ups).dump() + R"(, "it_restart_s": 20}})"});
}

double rec_gpu_drop(const Recorder& a, const Recorder& b, std::size_t k) { return a.bin_mean_w(k, kGpu) - b.bin_mean_w(k, kGpu); }

}  // namespace

TEST_CASE("grid job failures: a 0 V 300 ms sag that the UPS rides fails no job and needs no rerun") {
  const Scenario sc = grid_tiny(R"([{"kind": "voltage_sag", "at_s": 50, "duration_s": 0.3, "remaining_pu": 0}])");
  const RunResult r = run_scenario(sc);
  const json& e = r.summary["grid_events"][0];
  CHECK(e["it_power_lost"] == false);
  CHECK(e["load_lost_mw"].get<double>() > 0);  // the UPS-backed load left the grid...
  CHECK(e["jobs_interrupted"] == 0);           // ...and the IT kept running on the battery
  CHECK(e["steps_lost"] == 0);
  CHECK(e["gpu_hours_lost"].get<double>() == 0.0);
  CHECK(e["it_power_back_after_s"].is_null());
  CHECK(r.engine.job_stats[0].failures == 0);
  CHECK(r.engine.job_stats[0].power_losses.empty());
}

TEST_CASE("grid job failures: a 0.9 p.u. 100 ms sag loses nothing") {
  const Scenario sc = grid_tiny(R"([{"kind": "voltage_sag", "at_s": 50, "duration_s": 0.1, "remaining_pu": 0.9}])", kSmallBattery);
  const RunResult r = run_scenario(sc);
  const json& e = r.summary["grid_events"][0];
  CHECK(e["it_power_lost"] == false);
  CHECK(e["load_lost_mw"].get<double>() == 0.0);
  CHECK(e["jobs_interrupted"] == 0);
  CHECK(e["steps_lost"] == 0);
  CHECK(r.engine.job_stats[0].failures == 0);
}

TEST_CASE("grid job failures: an outage longer than the battery fails the job once, loses its steps since the checkpoint, "
          "and the restart waits for the power") {
  const Scenario sc = grid_tiny(R"([{"kind": "outage", "at_s": 50, "duration_s": 30}])", kSmallBattery);
  const RunResult r = run_scenario(sc);
  REQUIRE(r.grid);
  const GridEventResult& ge = r.grid->events.at(0);
  REQUIRE(ge.it_outages.size() == 1);
  const ItOutage& o = ge.it_outages[0];
  CHECK(o.behind_ups);
  // The battery's 600 J carry the rack for well under a second.
  CHECK(o.off_s > 50.0);
  CHECK(o.off_s < 51.0);
  // Supply back at 80 s; the UPS sees its input ok once the half-cycle RMS (8.333 ms window at
  // 60 Hz) reaches 0.85 p.u.: 0.85^2 x 8.333 ms = 6.02 ms of full voltage, i.e. in the 1 ms step
  // starting at 80.006 s; it retransfers after 10 s delay + 3 x 5 s groups + 10 s walk-in
  // (defaults): 115.006 s; the servers rejoin it_restart_s = 20 s later: 135.006 s.
  REQUIRE(o.on_s);
  CHECK(*o.on_s == doctest::Approx(135.006).epsilon(1e-10));
  const JobStats& st = r.engine.job_stats.at(0);
  CHECK(st.failures == 1);
  REQUIRE(st.failure_times_s.size() == 1);
  CHECK(st.failure_times_s[0] == doctest::Approx(o.off_s).epsilon(1e-12));
  REQUIRE(st.power_losses.size() == 1);
  const PowerLossHit& h = st.power_losses[0];
  CHECK(h.failed);
  CHECK(h.event == 0);
  // Checkpoint saved at 44 s (20 steps); steps end at 46, 48 and 50 s before the failure (50 < off < 51
  // is inside the step 50-52): 3 steps lost.
  CHECK(h.steps_lost == 3);
  CHECK(st.steps_lost == 3);
  // Restart begins when the power is back (135.006 s), 3 s, then the 2 s reload: stepping again at 140.006 s.
  REQUIRE(h.back_s);
  CHECK(*h.back_s == doctest::Approx(140.006).epsilon(1e-10));
  // Checkpoints: 11, 22, 33, 44 before; after the reload at 140.006 s: 151.006, ... (every 5 steps + 1 s).
  REQUIRE(st.checkpoint_times_s.size() >= 5);
  CHECK(st.checkpoint_times_s[3] == doctest::Approx(44.0));
  CHECK(st.checkpoint_times_s[4] == doctest::Approx(151.006).epsilon(1e-10));
  // Steps: 23 ended by 50 s (4 blocks of 5 steps + checkpoint to 44 s, then 46, 48, 50); none from
  // the failure to 140.006 s; from there: blocks of 11 s (5 steps, 1 s checkpoint) end at 151.006 ...
  // 294.006 s (14 blocks, 70 steps), then steps end at 296.006 and 298.006 s (the next would end
  // after the run): 72. Completed 23 + 72 = 95.
  CHECK(st.steps_completed == 95);
  const json& e = r.summary["grid_events"][0];
  CHECK(e["it_power_lost"] == true);
  CHECK(e["jobs_interrupted"] == 1);
  CHECK(e["steps_lost"] == 3);
  CHECK(e["it_power_back_after_s"].get<double>() == doctest::Approx(85.006).epsilon(1e-10));
  // 1 GPU x (3 steps x 2 s + (140.006 s - off)) / 3600.
  CHECK(e["gpu_hours_lost"].get<double>() == doctest::Approx((6.0 + 140.006 - o.off_s) / 3600.0).epsilon(1e-9));
  // The job's summary counts the failure; the energy balance held (run_scenario checks it).
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
}

TEST_CASE("grid job failures: the loads before the event are the same in both passes, bit for bit, and differ after") {
  const Scenario sc = grid_tiny(R"([{"kind": "outage", "at_s": 50, "duration_s": 30}])", kSmallBattery);
  Facility f(sc);
  const EngineResult first = run_engine_cooled(sc, f, {});
  const auto g = run_grid_events(sc, f, first.recorder, sc.duration_s);
  REQUIRE(g);
  const auto losses = job_power_losses(sc, f, *g);
  REQUIRE(losses.size() == 1);
  REQUIRE(losses[0].size() == 1);
  const auto racks_off = rack_outages(sc, f, *g);
  REQUIRE(racks_off.size() == 1);  // the one rack, over the job's interval
  CHECK(racks_off[0].racks == 1);
  CHECK(racks_off[0].off == losses[0][0].off);
  CHECK(racks_off[0].on == losses[0][0].on);
  EngineOptions eo;
  eo.power_losses = &losses;
  eo.rack_outages = &racks_off;
  const EngineResult second = run_engine_cooled(sc, f, eo);
  const std::size_t before = static_cast<std::size_t>(losses[0][0].off / second.recorder.bin_width());  // bins ending by the failure
  CHECK(before == 50);
  for (std::size_t k = 0; k < before; ++k)
    for (int c = 0; c < kColumnCount; ++c) {
      CAPTURE(k);
      CAPTURE(c);
      CHECK(first.recorder.bin_mean_w(k, c) == second.recorder.bin_mean_w(k, c));
    }
  // While unpowered (the bin 60-61 s) the rack draws nothing: the job's GPU and the idle node's too.
  CHECK(second.recorder.bin_mean_w(60, kGpu) == 0.0);
  CHECK(second.recorder.bin_mean_w(60, kIt) == 0.0);
  CHECK(first.recorder.bin_mean_w(60, kGpu) > 100.0);
  // The grid evaluation on the second pass sees the same loads.
  const auto g2 = run_grid_events(sc, f, second.recorder, sc.duration_s);
  REQUIRE(g2);
  CHECK(g2->events[0].load_before_w == g->events[0].load_before_w);
  CHECK(g2->events[0].it_outages.size() == 1);
  CHECK(g2->events[0].it_outages[0].off_s == g->events[0].it_outages[0].off_s);
}

namespace {
// The meter of tiny.json with no IT load at all (racks without supply), by hand from its figures:
// UPS output 0: loss = its no-load 1 % x 10 kW = 100 W; switchgear (10 kW, 0.1 % at full load)
// carries 100 W: 0.001 x 10000 x (100 / 10000)^2 = 0.001 W; transformer (20 kVA, pf 0.8, no-load
// 100 W, load 400 W) carries 100.001 W = 125.00125 VA: 100 + 400 x (125.00125 / 20000)^2 =
// 100.0156253125 W; busway 0 (no load). Meter = 100.001 + 100.0156253125 = 200.0166253125 W.
constexpr double kDarkMeterW = 200.0166253125;
constexpr double kDarkTransformerW = 100.0156253125;
}  // namespace

TEST_CASE("grid job failures: a rack without supply draws nothing, all of it, until the supply is back + it_restart_s, "
          "the meter then carries the distribution's no-load losses alone (by hand) and the balances hold") {
  const Scenario sc = grid_tiny(R"([{"kind": "outage", "at_s": 50, "duration_s": 30}])", kSmallBattery);
  const RunResult r = run_scenario(sc);
  REQUIRE(r.grid);
  REQUIRE(r.grid->events.at(0).it_outages.size() == 1);
  const ItOutage& o = r.grid->events[0].it_outages[0];
  REQUIRE(o.on_s);
  CHECK(*o.on_s == doctest::Approx(135.006).epsilon(1e-10));  // as in the test above
  const Recorder& rec = r.engine.recorder;
  // Every bin wholly inside [off, on) = [50.x, 135.006): 51 .. 134.
  for (std::size_t k : {51u, 80u, 100u, 134u}) {
    CAPTURE(k);
    CHECK(rec.bin_mean_w(k, kIt) == 0.0);
    CHECK(rec.bin_mean_w(k, kGpu) == 0.0);
    CHECK(rec.bin_mean_w(k, kPsuLoss) == 0.0);
    CHECK(rec.bin_mean_w(k, kBuswayLoss) == 0.0);
    CHECK(rec.bin_mean_w(k, kUpsLoss) == doctest::Approx(100.0).epsilon(1e-12));
    CHECK(rec.bin_mean_w(k, kSwitchgearLoss) == doctest::Approx(0.001).epsilon(1e-9));
    CHECK(rec.bin_mean_w(k, kTransformerLoss) == doctest::Approx(kDarkTransformerW).epsilon(1e-12));
    CHECK(rec.bin_mean_w(k, kUtility) == doctest::Approx(kDarkMeterW).epsilon(1e-12));
  }
  // The bin holding the return (135-136 s): dark for 6 ms, then the rack powered (the job restarting: idle).
  CHECK(rec.bin_mean_w(135, kIt) > 0.0);
  CHECK(rec.bin_mean_w(136, kIt) > 0.0);
  // The run's energy balance (meter = IT + losses; IT = its parts) still holds (run_scenario also checks it).
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
}

TEST_CASE("grid job failures: racks holding no job lose their power too (IT on the feed: every rack dark)") {
  // Two racks: the job's and one of idle nodes only, both on the feed (it_on_ups_fraction 0): the
  // 0 V outage takes them both at once (ITIC), until the supply is back + it_restart_s.
  const Scenario sc = two_racks_outage(0.0);
  const Facility f(sc);
  const EngineResult first = run_engine_cooled(sc, f, {});
  const RunResult r = run_scenario(sc);
  REQUIRE(r.grid);
  REQUIRE(r.grid->events.at(0).it_outages.size() == 1);
  const ItOutage& o = r.grid->events[0].it_outages[0];
  CHECK_FALSE(o.behind_ups);
  CHECK(o.off_s >= 50.0);
  CHECK(o.off_s < 51.0);
  REQUIRE(o.on_s);
  CHECK(*o.on_s < 120.0);
  const auto outs = rack_outages(sc, f, *r.grid);
  REQUIRE(outs.size() == 2);  // both rack groups (the job's and the idle one), each of 1 rack
  CHECK(outs[0].rack != outs[1].rack);
  const Recorder& rec = r.engine.recorder;
  for (std::size_t k : {51u, 60u, 79u}) {
    CAPTURE(k);
    CHECK(first.recorder.bin_mean_w(k, kIt) > 0.0);  // the first run: both racks draw
    CHECK(rec.bin_mean_w(k, kIt) == 0.0);
    // Two racks' busway (N+1, 2 units each at 0 load): 0; the rest as for one rack above.
    CHECK(rec.bin_mean_w(k, kUtility) == doctest::Approx(kDarkMeterW).epsilon(1e-12));
  }
  CHECK(r.engine.job_stats.at(0).failures == 1);
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
}

TEST_CASE("grid job failures: only the racks of the part that lost supply go dark (an idle rack on the feed, the job's rack behind "
          "the UPS rides the outage): the rerun happens for the idle rack alone") {
  // Two racks, half of the IT behind the UPS: round(0.5 x 2) = 1, the job's rack (first in placement
  // order) behind the default UPS, whose battery carries it through 30 s; the idle rack on the feed.
  const Scenario sc = two_racks_outage(0.5);
  const Facility f(sc);
  const EngineResult first = run_engine_cooled(sc, f, {});
  const RunResult r = run_scenario(sc);
  REQUIRE(r.grid);
  for (const ItOutage& o : r.grid->events.at(0).it_outages) CHECK_FALSE(o.behind_ups);
  REQUIRE(r.grid->events[0].it_outages.size() == 1);
  CHECK(r.engine.job_stats.at(0).failures == 0);  // the job's rack kept its supply
  CHECK(r.engine.job_stats.at(0).power_losses.empty());
  CHECK(r.summary["grid_events"][0]["jobs_interrupted"] == 0);
  const auto outs = rack_outages(sc, f, *r.grid);
  REQUIRE(outs.size() == 1);
  CHECK(outs[0].racks == 1);
  // The dark rack's two idle GPUs (100 W each, the toy GPU's idle power) leave the GPU column; the
  // job (same steps in both runs) keeps its own.
  for (std::size_t k : {51u, 60u, 79u}) {
    CAPTURE(k);
    CHECK(rec_gpu_drop(first.recorder, r.engine.recorder, k) == doctest::Approx(200.0).epsilon(1e-12));
    CHECK(r.engine.recorder.bin_mean_w(k, kIt) < first.recorder.bin_mean_w(k, kIt));
  }
  // After the return (the bins from 120 s on) both runs are the same again.
  CHECK(r.engine.recorder.bin_mean_w(150, kIt) == doctest::Approx(first.recorder.bin_mean_w(150, kIt)).epsilon(1e-12));
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
}

TEST_CASE("grid job failures: IT not behind the UPS maps to the last racks in placement order") {
  Scenario sc = grid_tiny(R"([{"kind": "outage", "at_s": 50, "duration_s": 30}])");
  Facility f(sc);
  CHECK(job_rack_parts(sc, f, 1.0)[0] == std::array<bool, 2>{true, false});
  CHECK(job_rack_parts(sc, f, 0.0)[0] == std::array<bool, 2>{false, true});
  // One rack: 0.4 of one rack rounds to none behind the UPS, 0.6 to one.
  CHECK(job_rack_parts(sc, f, 0.4)[0] == std::array<bool, 2>{false, true});
  CHECK(job_rack_parts(sc, f, 0.6)[0] == std::array<bool, 2>{true, false});
}

TEST_CASE("grid job failures: the rack groups' racks in each part (rack_parts), a straddling group split by count") {
  // 3 racks: the job's, then a group of 2 idle racks. Half the IT behind the UPS: round(1.5) = 2
  // racks: the job's and one of the idle group (which straddles the boundary).
  const Scenario sc = test::load_tiny({"campus.halls.0.rows.0.racks.0.count=3"});
  const Facility f(sc);
  const auto half = rack_parts(f, 0.5);
  REQUIRE(half.size() == 2);
  CHECK(half[0].racks == std::array<std::int64_t, 2>{1, 0});
  CHECK(half[1].racks == std::array<std::int64_t, 2>{1, 1});
  CHECK(f.graph()[half[1].rack].multiplicity == 2);
  CHECK(rack_parts(f, 1.0)[1].racks == std::array<std::int64_t, 2>{2, 0});
  CHECK(rack_parts(f, 0.0)[0].racks == std::array<std::int64_t, 2>{0, 1});
  CHECK(job_rack_parts(sc, f, 0.5)[0] == std::array<bool, 2>{true, false});
}

}  // namespace dctwin

namespace dctwin {

TEST_CASE("grid job failures: an inference service on racks without supply stops serving for the interval and serves again "
          "restart_s after the supply is back (0 s: an inference job has no `failures`), tokens and energy by hand") {
  // One constant request rate from t = 0: 2 req/s of 100 prompt + 50 output tokens on the toy
  // serving figures of tests/system/test_inference_trace.cpp: 640 W per GPU, 100 output tokens/s
  // (tests/unit/models/workload/test_llm_serving.cpp works it out).
  test::TempDir d("grid-inference");
  test::write_file(d.file("t.csv"), "t_s,requests_per_s,prompt_tokens,output_tokens\n0,2,100,50\n");
  const Scenario sc = test::load_tiny(
      {"simulation.duration_s=300",
       R"(jobs.0={"name":"chat","kind":"inference","gpus":1,"start_s":0,"stop_s":null,"inference":{"request_trace":")" + d.file("t.csv") +
           R"(","prefill_tokens_per_s":1000,"decode_base_s":0.01,"decode_per_sequence_s":0.001,"max_batch":10,"decode_power_fraction":0.5}})",
       R"(grid={"events": [{"kind": "outage", "at_s": 50, "duration_s": 30}], "equipment": )" + std::string(kSmallBattery) + "}"});
  const RunResult r = run_scenario(sc);
  REQUIRE(r.grid);
  REQUIRE(r.grid->events.at(0).it_outages.size() == 1);
  const ItOutage& o = r.grid->events[0].it_outages[0];
  CHECK(o.off_s > 50.0);
  CHECK(o.off_s < 51.0);
  REQUIRE(o.on_s);
  // Supply back at 80.006 s, retransfer 35 s, servers 20 s (the training case above): 135.006 s.
  CHECK(*o.on_s == doctest::Approx(135.006).epsilon(1e-10));
  const JobStats& st = r.engine.job_stats.at(0);
  REQUIRE(st.power_losses.size() == 1);
  const PowerLossHit& h = st.power_losses[0];
  CHECK(h.failed);  // it was serving
  CHECK(h.steps_lost == 0);
  REQUIRE(h.back_s);
  CHECK(*h.back_s == doctest::Approx(135.006).epsilon(1e-10));  // restart_s = 0
  // Served: 100 tokens/s over [0, off) and [135.006, 300).
  const double served_s = o.off_s + (300.0 - 135.006);
  CHECK(st.output_tokens == doctest::Approx(100.0 * served_s).epsilon(1e-9));
  CHECK(st.serving_energy_j == doctest::Approx(640.0 * served_s).epsilon(1e-9));
  // GPU energy of the run: the service's GPU at 640 W while serving, 0 W while dark; the idle
  // node's GPU at 100 W except while its rack is dark.
  const double dark_s = 135.006 - o.off_s;
  CHECK(r.engine.recorder.energy_j()[kGpu] == doctest::Approx(640.0 * served_s + 100.0 * (300.0 - dark_s)).epsilon(1e-9));
  const json& e = r.summary["grid_events"][0];
  CHECK(e["jobs_interrupted"] == 1);
  CHECK(e["steps_lost"] == 0);
  CHECK(e["gpu_hours_lost"].get<double>() == doctest::Approx(dark_s / 3600.0).epsilon(1e-9));
  CHECK(r.summary["jobs"][0]["output_tokens"].get<double>() == doctest::Approx(100.0 * served_s).epsilon(1e-9));
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
}

TEST_CASE("grid job failures: a training job already restarting after a failure just before the event is not failed a second time, "
          "it only waits longer (restart end by hand)") {
  // A node MTBF of 100 s gives random failures within the run (seed 1); the outage is placed at the
  // next whole second after one (a whole second, as in the cases above, keeps the window's 1 ms
  // steps on the hand-computed instants), so the rack loses its supply while the job is in its 3 s
  // restart or its 2 s reload.
  auto scenario = [](const std::string& grid) {
    std::vector<std::string> o = {"simulation.duration_s=300", R"(jobs.0.checkpoint={"interval_s":10,"duration_s":1})",
                                  R"(jobs.0.failures={"node_mtbf_h":0.027777777777777776,"restart_s":3,"reload_s":2})"};
    if (!grid.empty()) o.push_back(grid);
    return test::load_tiny(o);
  };
  // The first failure at or after 10 s (an output bin or more of loads before the event; the
  // failures before it are the same in both runs).
  const RunResult plain = run_scenario(scenario(""));
  double tf = -1;
  std::size_t before = 0;  // failures before tf
  for (double x : plain.engine.job_stats.at(0).failure_times_s) {
    if (x >= 10.0) {
      tf = x;
      break;
    }
    ++before;
  }
  CAPTURE(tf);
  REQUIRE(tf >= 10.0);
  const double at = std::floor(tf) + 1.0;
  REQUIRE(at + 85.006 + 5.0 < 300.0);  // stepping again within the run (below)
  const RunResult r = run_scenario(scenario(R"(grid={"events": [{"kind": "outage", "at_s": )" + json(at).dump() +
                                            R"(, "duration_s": 30}], "equipment": )" + std::string(kSmallBattery) + "}"));
  REQUIRE(r.grid);
  REQUIRE(r.grid->events.at(0).it_outages.size() == 1);
  const ItOutage& o = r.grid->events[0].it_outages[0];
  CHECK(o.off_s > at);
  CHECK(o.off_s < tf + 5.0);  // inside the restart and reload
  REQUIRE(o.on_s);
  // As in the first outage case, relative to the event: supply back at at + 30.006 s, retransfer
  // 10 + 3 x 5 + 10 s, servers 20 s: at + 85.006 s, up to the window's 1 ms steps: the retransfer's
  // end and the servers' return each take effect at the first step starting at or after them, and
  // the step starts are sums of 1 ms steps in floating point (measured here: at + 85.008 s).
  CHECK(*o.on_s >= at + 85.006 - 1e-9);
  CHECK(*o.on_s <= at + 85.008 + 1e-9);
  const JobStats& st = r.engine.job_stats.at(0);
  REQUIRE(st.power_losses.size() == 1);
  const PowerLossHit& h = st.power_losses[0];
  CHECK_FALSE(h.failed);
  CHECK(h.steps_lost == 0);
  // The random failure is the same (the loads and draws before the event are the first run's) and
  // the only one up to the return: no second failure at the loss.
  REQUIRE(st.failure_times_s.size() > before);
  CHECK(st.failure_times_s[before] == tf);
  for (double x : st.failure_times_s) CHECK((x <= tf || x > *o.on_s));
  CHECK(st.failures == static_cast<std::int64_t>(st.failure_times_s.size()));
  // Its restart began anew at the supply's return: 3 s, then the 2 s reload: stepping at on + 5 s
  // (instead of tf + 5 s without the event).
  REQUIRE(h.back_s);
  CHECK(*h.back_s == doctest::Approx(*o.on_s + 5.0).epsilon(1e-10));
  const json& e = r.summary["grid_events"][0];
  CHECK(e["jobs_interrupted"] == 0);
  CHECK(e["steps_lost"] == 0);
  CHECK(e["gpu_hours_lost"].get<double>() == doctest::Approx((*o.on_s + 5.0 - o.off_s) / 3600.0).epsilon(1e-9));
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
}

}  // namespace dctwin
