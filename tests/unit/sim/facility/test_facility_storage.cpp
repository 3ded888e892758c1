// Facility battery with a grid ramp limit (models/power/battery.h, sim/facility/facility_storage.h).
#include <doctest/doctest.h>

#include <cmath>

#include "models/power/battery.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

TEST_CASE("storage: one controller step by hand") {
  // 1 MW / 1 MWh battery, eta 0.81 (sqrt 0.9), window 10-90 %, at 50 %, ramp limit 0.1 MW/s,
  // recovery 600 s. Previous grid 10 MW; the load jumps to 12 MW for a 1 s step:
  //   desired grid = 12 MW + (0.5 - 0.5) * E / 600 = 12 MW; ramp band [9.9, 10.1] MW -> 10.1 MW
  //   battery = 10.1 - 12 = -1.9 MW -> power limit -1 MW -> grid 11 MW (outside the band: violation)
  //   energy: -1 MW / 0.9 * 1 s = -1.1111 MJ; loss 1 MW * (1/0.9 - 1) * 1 s = 0.1111 MJ
  power::BatteryParams p{1e6, 3.6e9, 0.81, 0.1, 0.9, 0.5, 600, 0.1e6};
  power::RampLimitingBattery b(p, 0.5, 10e6);
  const power::BatteryStep s = b.step(12e6, 1.0);
  CHECK(s.battery_w == doctest::Approx(-1e6).epsilon(1e-12));
  CHECK(s.grid_w == doctest::Approx(11e6).epsilon(1e-12));
  CHECK(s.ramp_violation);
  CHECK(s.loss_w == doctest::Approx(1e6 * (1 / 0.9 - 1)).epsilon(1e-12));
  CHECK(b.energy_j() == doctest::Approx(1.8e9 - 1e6 / 0.9).epsilon(1e-12));
  // Next step at 11.05 MW: within the band [10.9, 11.1] of 11 MW, the controller asks
  // 11.05 + (1.8e9 - E) / 600 = 11.05 MW + 1851.85 W; battery charges 1851.85 W.
  const power::BatteryStep s2 = b.step(11.05e6, 1.0);
  CHECK_FALSE(s2.ramp_violation);
  CHECK(s2.battery_w == doctest::Approx((1e6 / 0.9) / 600).epsilon(1e-9));
}

TEST_CASE("storage: the battery holds the grid ramp under its limit and conserves energy") {
  // tiny.json swings between 2184.05 W and 1156.66 W at the meter every second. A 2 kW / 1 kWh
  // battery with a 100 W/s grid ramp limit flattens it: the grid moves at most 10 W per 0.1 s.
  // (The grid starts at the first interval's load; a 1 kW battery could not absorb the first
  // 1028 W drop while the grid ramps down.)
  const Scenario sc = test::load_tiny({"simulation.duration_s=600", "simulation.output_step_s=0.1",
                                       R"(campus.storage={"power_mw":0.002,"energy_mwh":0.001,"round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"grid_ramp_limit_mw_per_s":0.0001})"});
  const RunResult r = run_scenario(sc);
  const json& st = r.summary["storage"];
  REQUIRE(st.is_object());
  CHECK(st["ramp_limit_violations"].get<int>() == 0);
  CHECK(st["max_grid_ramp_up_mw_per_s"].get<double>() <= 0.0001 * (1 + 1e-9));
  CHECK(st["max_grid_ramp_down_mw_per_s"].get<double>() <= 0.0001 * (1 + 1e-9));
  // Within a 2 s step the ramp-limited grid moves at most 100 W/s x 1 s each way: over the last
  // 20 s its swing is ~100 W against the load's 1027 W (it converges to the mean load on the
  // recovery time scale, 600 s).
  double g_min = 1e300, g_max = 0;
  for (std::size_t k = r.storage->grid_w.size() - 200; k < r.storage->grid_w.size(); ++k) {
    g_min = std::min(g_min, r.storage->grid_w[k]);
    g_max = std::max(g_max, r.storage->grid_w[k]);
  }
  CHECK(g_max - g_min < 0.15 * (2184.047135465 - 1156.662110166));
  CHECK(g_max < 2184.047135465);
  CHECK(st["energy_balance_rel_error"].get<double>() <= 1e-12);
  // grid = load + stored + losses, recomputed from the summary.
  const double stored = (st["charged_mwh"].get<double>() * std::sqrt(0.9) - st["discharged_mwh"].get<double>() / std::sqrt(0.9));
  CHECK(st["grid_energy_mwh"].get<double>() ==
        doctest::Approx(r.summary["facility_energy_mwh"].get<double>() + stored + st["losses_mwh"].get<double>()).epsilon(1e-9));
  CHECK(st["losses_mwh"].get<double>() > 0);
}

TEST_CASE("storage: a battery too small to hold the limit reports violations") {
  const Scenario sc = test::load_tiny({"simulation.duration_s=60", "simulation.output_step_s=0.1",
                                       R"(campus.storage={"power_mw":0.0001,"energy_mwh":0.001,"round_trip_efficiency":0.9,"soc_min_pct":10,"soc_max_pct":90,"grid_ramp_limit_mw_per_s":0.0001})"});
  const RunResult r = run_scenario(sc);
  CHECK(r.summary["storage"]["ramp_limit_violations"].get<int>() > 0);
  CHECK(r.summary["storage"]["energy_balance_rel_error"].get<double>() <= 1e-12);
}

TEST_CASE("storage: absent storage is null, and bad storage input names its key") {
  CHECK(run_scenario(test::load_tiny()).summary["storage"].is_null());
  try {
    test::load_tiny({R"(campus.storage={"power_mw":1,"energy_mwh":1,"round_trip_efficiency":0.9,"soc_min_pct":90,"soc_max_pct":10,"grid_ramp_limit_mw_per_s":1})"});
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("$.campus.storage.soc_max_pct") != std::string::npos);
  }
}

// The controller pieces shared with the per-rack storage (models/power/battery.h).
TEST_CASE("storage controller: a load step is met by a grid ramp of exactly R per second") {
  // 2 kW / 100 kJ storage, eta 0.81, window 10-90 %, at its 50 % target, R = 100 W/s, recovery so
  // slow (1e12 s) that it adds < 1e-7 W. The load steps from 1000 W to 2000 W at t = 0 with the
  // grid at 1000 W; steps of 0.1 s: g_k = 1000 + 10 k W for k = 1..100, then g = load.
  power::BatteryParams p{2000, 1e5, 0.81, 0.1, 0.9, 0.5, 1e12, 100};
  double e = 0.5e5, g = 1000, discharged_grid_side_j = 0, loss_j = 0;
  for (int k = 1; k <= 110; ++k) {
    g = power::ramp_limited_grid_w(p, e, g, 2000, 0.1);
    CHECK(g == doctest::Approx(std::min(1000.0 + 10.0 * k, 2000.0)).epsilon(1e-9));
    const double b = power::storage_power_w(p, e, g, 2000, 0.1, 0.0);
    CHECK(b == doctest::Approx(g - 2000).epsilon(1e-9));  // no limit binds
    discharged_grid_side_j -= b * 0.1;
    loss_j += power::store_energy(p, e, b, 0.1);
  }
  // sum_{k=1..100} (1000 - 10 k) x 0.1 s = 4950 J from the storage's terminals; the cells give
  // 4950 / 0.9 J, the difference is the loss.
  CHECK(discharged_grid_side_j == doctest::Approx(4950).epsilon(1e-9));
  CHECK(e == doctest::Approx(0.5e5 - 4950 / 0.9).epsilon(1e-9));
  CHECK(loss_j * 0.1 == doctest::Approx(4950 / 0.9 - 4950).epsilon(1e-9));
}

TEST_CASE("storage controller: losses split as sqrt of the round-trip efficiency each way") {
  power::BatteryParams p{1e4, 1e6, 0.81, 0, 1, 0.5, 600, 100};
  double e = 5e5;
  // Charging 1000 W for 1 s: 900 J stored, 100 W lost.
  CHECK(power::store_energy(p, e, 1000, 1) == doctest::Approx(100).epsilon(1e-12));
  CHECK(e == doctest::Approx(5e5 + 900).epsilon(1e-12));
  // Discharging 900 W for 1 s: 1000 J taken from the cells, 100 W lost.
  CHECK(power::store_energy(p, e, -900, 1) == doctest::Approx(100).epsilon(1e-12));
  CHECK(e == doctest::Approx(5e5 - 100).epsilon(1e-12));
}

TEST_CASE("storage controller: power, charge-window and no-export limits bind") {
  power::BatteryParams p{500, 1e4, 0.81, 0.1, 0.9, 0.5, 600, 100};
  // Power limit: asked to give 800 W, gives 500 W.
  CHECK(power::storage_power_w(p, 5e3, 1200, 2000, 0.1) == doctest::Approx(-500).epsilon(1e-12));
  // At the bottom of the window (10 % = 1000 J) it gives nothing: the grid follows the load.
  CHECK(power::storage_power_w(p, 1e3, 1200, 2000, 0.1) == 0.0);
  // 9 J above the bottom over a 0.1 s horizon: at most 9 x 0.9 / 0.1 = 81 W.
  CHECK(power::storage_power_w(p, 1009, 1200, 2000, 0.1) == doctest::Approx(-81).epsilon(1e-12));
  // At the top (90 % = 9000 J) it takes nothing; 9 J below over 0.1 s: at most 9 / (0.9 x 0.1) = 100 W.
  CHECK(power::storage_power_w(p, 9e3, 3000, 2000, 0.1) == 0.0);
  CHECK(power::storage_power_w(p, 8991, 3000, 2000, 0.1) == doctest::Approx(100).epsilon(1e-12));
  // No export: a grid setpoint below zero is held at zero (the storage gives at most the load).
  CHECK(power::storage_power_w(p, 5e3, -100, 300, 0.1, 0.0) == doctest::Approx(-300).epsilon(1e-12));
  CHECK(power::storage_power_w(p, 5e3, -100, 300, 0.1) == doctest::Approx(-400).epsilon(1e-12));
}
