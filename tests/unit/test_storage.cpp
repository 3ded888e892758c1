// Facility battery with a grid ramp limit (models/power/battery.h, sim/facility_storage.h).
#include <doctest/doctest.h>

#include <cmath>

#include "models/power/battery.h"
#include "sim/results.h"
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
