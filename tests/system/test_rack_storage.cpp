// Per-rack energy storage (sim/facility/rack_storage.h): the grid-side rack ramp holds its limit while the
// charge stays inside its window, the facility's ramp falls, every energy balance closes to 1e-9,
// the same seed gives the same bytes, a stopped and resumed run equals an uninterrupted one, and
// every bad field is one problem line naming its JSON path.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>

#include "sim/engine/checkpoint.h"
#include "sim/run.h"
#include "sim/output/results.h"
#include "tests/support.h"

namespace dctwin {
namespace {

// tiny.json: one rack whose load swings between ~2.0 kW (compute) and ~1.0 kW (communication)
// every second. A 2 kW / 50 kJ storage with a 100 W/s ramp limit flattens it (a 10 s return to
// its target keeps the charge inside 10-90 % while the grid climbs from the idle rack at t = 0).
const std::string kStorage =
    R"("energy_j":50000,"power_w":2000,"round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,)"
    R"("recovery_s":10,"grid_ramp_limit_w_per_s":100)";

Scenario with_storage(std::vector<std::string> more = {}, const std::string& fields = kStorage) {
  std::vector<std::string> o = {"simulation.duration_s=120", "simulation.output_step_s=0.1", "rack_types.r1.storage={" + fields + "}"};
  o.insert(o.end(), more.begin(), more.end());
  return test::load_tiny(o);
}

void check_balances(const RunResult& r) {
  const json& rs = r.summary["rack_storage"];
  REQUIRE(rs.is_object());
  CHECK(rs["energy_balance_rel_error"].get<double>() <= 1e-9);
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
  // grid side = load + stored + losses, recomputed from the summary's rounded-free J totals.
  const RackStorageOutcome& o = *r.engine.rack_storage;
  CHECK(o.grid_energy_j == doctest::Approx(o.load_energy_j + (o.final_energy_j - o.initial_energy_j) + o.loss_j).epsilon(1e-9));
  CHECK(o.charge_j - o.discharge_j == doctest::Approx(o.grid_energy_j - o.load_energy_j).epsilon(1e-9));
}

}  // namespace

TEST_CASE("rack storage: the grid-side rack ramp holds its limit and the facility ramp falls") {
  const RunResult plain = run_scenario(test::load_tiny({"simulation.duration_s=120", "simulation.output_step_s=0.1"}));
  const RunResult r = run_scenario(with_storage());
  const json& rs = r.summary["rack_storage"];
  REQUIRE(rs.is_object());
  CHECK(plain.summary["rack_storage"].is_null());
  // The charge stayed inside its window all along: no limit bound, so no step over the limit.
  CHECK(rs["limited_steps"].get<int>() == 0);
  CHECK(rs["ramp_limit_violations"].get<int>() == 0);
  CHECK(rs["max_grid_ramp_w_per_s"].get<double>() <= 100 * (1 + 1e-9));
  CHECK(rs["max_load_ramp_w_per_s"].get<double>() > 10 * 100);  // the unsmoothed rack
  CHECK(rs["groups"].size() == 1);
  CHECK(rs["groups"][0]["soc_min_pct"].get<double>() > 10);
  CHECK(rs["groups"][0]["soc_max_pct"].get<double>() < 90);
  // The facility's ramp at the meter falls with it, by far.
  CHECK(r.summary["max_ramp_up_mw_per_s"].get<double>() < 0.2 * plain.summary["max_ramp_up_mw_per_s"].get<double>());
  CHECK(r.summary["max_ramp_down_mw_per_s"].get<double>() < 0.2 * plain.summary["max_ramp_down_mw_per_s"].get<double>());
  check_balances(r);
  // The rack loads are the same: IT (rack inputs) differs by exactly the storage's grid-side energy.
  const double it_plain = plain.summary["it_energy_mwh"].get<double>(), it = r.summary["it_energy_mwh"].get<double>();
  const RackStorageOutcome& o = *r.engine.rack_storage;
  CHECK(it * 3.6e9 == doctest::Approx(it_plain * 3.6e9 + o.charge_j - o.discharge_j).epsilon(1e-9));
  CHECK(r.summary["it_breakdown_mwh"]["rack_storage"].get<double>() * 3.6e9 == doctest::Approx(o.charge_j - o.discharge_j).epsilon(1e-9));
  // Its losses are counted as mitigation energy.
  CHECK(o.loss_j > 0);
  CHECK(r.summary["mitigation_energy_mwh"].get<double>() ==
        doctest::Approx(plain.summary["mitigation_energy_mwh"].get<double>() + o.loss_j / 3.6e9).epsilon(1e-12));
}

TEST_CASE("rack storage: a storage too small to hold the limit binds and reports violations") {
  const RunResult r = run_scenario(with_storage({}, R"("energy_j":50000,"power_w":100,"round_trip_efficiency":0.9,)"
                                                     R"("soc_min_pct":10,"soc_max_pct":90,"recovery_s":60,"grid_ramp_limit_w_per_s":100)"));
  CHECK(r.summary["rack_storage"]["limited_steps"].get<int>() > 0);
  CHECK(r.summary["rack_storage"]["ramp_limit_violations"].get<int>() > 0);
  check_balances(r);
  // An almost empty window: the charge never leaves it.
  const RunResult e = run_scenario(with_storage({}, R"("energy_j":200,"power_w":2000,"round_trip_efficiency":0.8,)"
                                                     R"("soc_min_pct":40,"soc_max_pct":60,"recovery_s":60,"grid_ramp_limit_w_per_s":100)"));
  const json& g = e.summary["rack_storage"]["groups"][0];
  CHECK(g["soc_min_pct"].get<double>() >= 40 - 1e-9);
  CHECK(g["soc_max_pct"].get<double>() <= 60 + 1e-9);
  CHECK(e.summary["rack_storage"]["ramp_limit_violations"].get<int>() > 0);
  check_balances(e);
}

TEST_CASE("rack storage: several rack groups, jitter cohorts and GPU thermal feedback keep the balances") {
  LoadOptions lo;
  lo.overrides = {"simulation.duration_s=60", "simulation.output_step_s=0.1", "campus.halls.0.rows.0.racks.0.count=4", "jobs.0.gpus=6",
                  R"(jobs.0.jitter={"compute_cv":0.1,"straggler_probability":0.1,"straggler_slowdown":0.5,"cohorts":3})",
                  R"(cooling.gpu_thermal={"r_th_k_w":0.05,"tau_s":2,"throttle_c":45,"limit_c":50,)"
                  R"("leakage":{"reference_c":30,"w_at_reference":50,"doubling_k":20}})",
                  "rack_types.r1.storage={" + kStorage + "}"};
  const RunResult r = run_scenario(load_scenario_file(test::source_path("tests/data/tiny-cooling.json"), lo));
  check_balances(r);
  CHECK(r.summary["rack_storage"]["groups"].size() >= 2);
}

TEST_CASE("rack storage: same seed gives byte-identical results") {
  const Scenario sc = with_storage();
  const RunResult a = run_scenario(sc), b = run_scenario(with_storage());
  CHECK(a.summary.dump(2) == b.summary.dump(2));
  CHECK(timeseries_csv(a.engine.recorder) == timeseries_csv(b.engine.recorder));
  CHECK(a.engine.racks->csv() == b.engine.racks->csv());
}

namespace {
// Stops `sc` at about 45 %, resumes it from its checkpoint and compares with an uninterrupted run.
void check_resume_equals_full(const Scenario& sc, const std::string& tag) {
  test::TempDir d(tag);
  const RunResult full = run_scenario(sc);
  std::atomic<bool> stop{false};
  RunOptions ro;
  ro.stop = &stop;
  ro.checkpoint_file = d.file(kCheckpointFileName);
  ro.progress = [&stop](double f) {
    if (f >= 0.45) stop = true;
  };
  const RunResult part = run_scenario(sc, ro);
  REQUIRE(part.engine.partial);
  REQUIRE(part.summary["rack_storage"].is_object());
  RunOptions resume;
  resume.resume_file = d.file(kCheckpointFileName);
  const RunResult done = run_scenario(sc, resume);
  CHECK(done.summary.dump(2) == full.summary.dump(2));
  CHECK(timeseries_csv(done.engine.recorder) == timeseries_csv(full.engine.recorder));
  CHECK(done.engine.racks->csv() == full.engine.racks->csv());
}
}  // namespace

TEST_CASE("rack storage: a run stopped and resumed from its checkpoint equals an uninterrupted run") {
  check_resume_equals_full(with_storage({"simulation.duration_s=60.03"}), "rs-ck");  // ends inside a control step
  // With the cooling plant, GPU junction feedback, jitter cohorts, failures and checkpoint pauses.
  LoadOptions lo;
  lo.overrides = {"simulation.duration_s=200", "campus.halls.0.rows.0.racks.0.count=4", "jobs.0.gpus=8",
                  R"(jobs.0.failures={"node_mtbf_h":0.02,"restart_s":3,"reload_s":2})",
                  R"(jobs.0.checkpoint={"interval_s":15,"duration_s":1})",
                  R"(jobs.0.jitter={"compute_cv":0.1,"straggler_probability":0.1,"straggler_slowdown":0.5,"cohorts":4})",
                  R"(cooling.gpu_thermal={"r_th_k_w":0.05,"tau_s":2,"throttle_c":45,"limit_c":50,)"
                  R"("leakage":{"reference_c":30,"w_at_reference":50,"doubling_k":20}})",
                  "rack_types.r1.storage={" + kStorage + "}"};
  check_resume_equals_full(load_scenario_file(test::source_path("tests/data/tiny-cooling.json"), lo), "rs-ck-rich");
}

TEST_CASE("rack storage: every bad field is one problem naming its JSON path") {
  const std::string base = "$.rack_types.r1.storage.";
  auto bad = [&](const std::string& fields, const std::string& key) {
    CAPTURE(fields);
    try {
      (void)with_storage({}, fields);
      FAIL("expected an InputError");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find(base + key) != std::string::npos);
    }
  };
  const std::string rest = R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"recovery_s":60,"grid_ramp_limit_w_per_s":100)";
  bad(R"("power_w":2000,)" + rest, "energy_j");                        // missing
  bad(R"("energy_j":0,"power_w":2000,)" + rest, "energy_j");           // zero
  bad(R"("energy_j":-5,"power_w":2000,)" + rest, "energy_j");
  bad(R"("energy_j":50000,)" + rest, "power_w");
  bad(R"("energy_j":50000,"power_w":1e30,)" + rest, "power_w");
  const std::string ep = R"("energy_j":50000,"power_w":2000,)";
  bad(ep + R"("round_trip_efficiency":0.3,"soc_min_pct":10,"soc_max_pct":90,"recovery_s":60,"grid_ramp_limit_w_per_s":100)", "round_trip_efficiency");
  bad(ep + R"("round_trip_efficiency":1.1,"soc_min_pct":10,"soc_max_pct":90,"recovery_s":60,"grid_ramp_limit_w_per_s":100)", "round_trip_efficiency");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":-1,"soc_max_pct":90,"recovery_s":60,"grid_ramp_limit_w_per_s":100)", "soc_min_pct");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":101,"recovery_s":60,"grid_ramp_limit_w_per_s":100)", "soc_max_pct");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":90,"soc_max_pct":10,"recovery_s":60,"grid_ramp_limit_w_per_s":100)", "soc_max_pct");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"soc_target_pct":95,"recovery_s":60,"grid_ramp_limit_w_per_s":100)", "soc_target_pct");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"initial_soc_pct":5,"recovery_s":60,"grid_ramp_limit_w_per_s":100)", "initial_soc_pct");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"grid_ramp_limit_w_per_s":100)", "recovery_s");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"recovery_s":0,"grid_ramp_limit_w_per_s":100)", "recovery_s");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"recovery_s":60)", "grid_ramp_limit_w_per_s");
  bad(ep + R"("round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"recovery_s":60,"grid_ramp_limit_w_per_s":-1)", "grid_ramp_limit_w_per_s");
  bad(kStorage + R"(,"control_step_s":0)", "control_step_s");
  bad(kStorage + R"(,"control_step_s":5)", "control_step_s");
  bad(kStorage + R"(,"control_step_s":"fast")", "control_step_s");
  bad(kStorage + R"(,"ramp_limit_w_s":100)", "ramp_limit_w_s");  // unknown key
  // Two rack types with storage on different control steps.
  try {
    (void)with_storage({R"(rack_types.r2={"nodes":[{"type":"n1","count":1}],"rack_equipment":{"idle_w":1,"active_w":2},"storage":{)" +
                        kStorage + R"(,"control_step_s":0.1}})"});
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("control_step_s") != std::string::npos);
  }
}

TEST_CASE("rack storage: the CLI refuses a bad field with exit 2 and one line") {
  const test::CliRun r = test::run_cli("validate " + test::shell_quote(test::tiny_path()) + " --set " +
                                       test::shell_quote(R"(rack_types.r1.storage={"energy_j":0})"));
  CHECK(r.code == 2);
  CHECK(r.out.find("$.rack_types.r1.storage.energy_j") != std::string::npos);
}

}  // namespace dctwin
