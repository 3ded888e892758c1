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
  EngineOptions eo;
  eo.power_losses = &losses;
  const EngineResult second = run_engine_cooled(sc, f, eo);
  const std::size_t before = static_cast<std::size_t>(losses[0][0].off / second.recorder.bin_width());  // bins ending by the failure
  CHECK(before == 50);
  for (std::size_t k = 0; k < before; ++k)
    for (int c = 0; c < kColumnCount; ++c) {
      CAPTURE(k);
      CAPTURE(c);
      CHECK(first.recorder.bin_mean_w(k, c) == second.recorder.bin_mean_w(k, c));
    }
  // While unpowered (the bin 60-61 s) the job's GPU draws nothing: the rack's GPU power is the idle node's GPU.
  CHECK(second.recorder.bin_mean_w(60, kGpu) == doctest::Approx(100.0));
  CHECK(first.recorder.bin_mean_w(60, kGpu) > 100.0);
  // The grid evaluation on the second pass sees the same loads.
  const auto g2 = run_grid_events(sc, f, second.recorder, sc.duration_s);
  REQUIRE(g2);
  CHECK(g2->events[0].load_before_w == g->events[0].load_before_w);
  CHECK(g2->events[0].it_outages.size() == 1);
  CHECK(g2->events[0].it_outages[0].off_s == g->events[0].it_outages[0].off_s);
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

}  // namespace dctwin
