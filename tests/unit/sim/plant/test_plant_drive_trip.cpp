// The cooling plant through a drive trip (grid.events; sim/plant/cooling_plant.h "Drive trips"):
// the loop's water takes the heat, supply and alarms follow, the heat balance holds; summary
// grid_events' cooling figures (sim/output/grid_summary.h).
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <string>

#include "models/thermal/psychrometrics.h"
#include "sim/facility/grid_response.h"
#include "sim/plant/cooling_plant.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
// tiny-cooling with one sag at 100 s; drives with no ride-through so the trip starts at the event.
Scenario tripped(const std::string& sag, double lockout_s, double ramp_s, std::vector<std::string> more = {}) {
  std::vector<std::string> o = {"simulation.duration_s=600",
                                "grid={\"events\": [" + sag + "], \"equipment\": {\"cooling_drives\": {\"ride_through_ms\": 0, "
                                "\"restart_lockout_s\": " + std::to_string(lockout_s) + ", \"chiller_ramp_s\": " +
                                    std::to_string(ramp_s) + "}}}"};
  o.insert(o.end(), more.begin(), more.end());
  return test::load_tiny_cooling(o);
}
const std::string kDeepSag = R"({"kind": "voltage_sag", "at_s": 100, "duration_s": 1, "remaining_pu": 0})";
}  // namespace

TEST_CASE("drive trip: the supply rises by the heat over the loop water's heat capacity, Q t / (m c_p)") {
  // Off over [100, 200): 1 s sag + 99 s lockout, on whole 1 s output bins.
  const Scenario sc = tripped(kDeepSag, 99, 0);
  const RunResult r = run_scenario(sc);
  REQUIRE(r.engine.cooling);
  const CoolingOutcome& c = *r.engine.cooling;
  REQUIRE(c.drive_off.size() == 1);
  CHECK(c.drive_off[0].off_s == 100.0);
  CHECK(c.drive_off[0].restart_s == doctest::Approx(200.0));
  // Heat in the space over the trip (the pumps and fans are off: none of theirs), from the meter's bins.
  const Recorder& rec = r.engine.recorder;
  double q_j = 0, cooling_j = 0;
  for (std::size_t k = 100; k < 200; ++k) {
    q_j += (rec.bin_mean_w(k, kIt) + rec.bin_mean_w(k, kBuswayLoss) + rec.bin_mean_w(k, kUpsLoss)) * to_seconds(rec.bin_length(k));
    cooling_j += rec.bin_mean_w(k, kCooling);
  }
  CHECK(cooling_j == 0.0);  // the plant draws nothing while off
  const double m_kg = thermal::kRhoWaterKgM3 * 0.2;  // loop_volume_m3 of tiny-cooling
  const double rise_k = q_j / (m_kg * thermal::kCpWaterJkgK);
  CHECK(rise_k > 0.05);
  const json& e = r.summary["grid_events"][0];
  CHECK(e["cooling_drives_off_s"].get<double>() == doctest::Approx(100.0));
  CHECK(e["max_facility_water_supply_c"].get<double>() == doctest::Approx(18.0 + rise_k).epsilon(1e-9));
  CHECK(r.summary["cooling"]["heat_balance_rel_error"].get<double>() <= 1e-6);
  // Back at the setpoint once the chillers carry the load again.
  CHECK(r.engine.cooling->series->bins().back().facility_water_supply_max_c == doctest::Approx(18.0));
}

TEST_CASE("drive trip: a 0.9 p.u. sag changes nothing in the plant") {
  const Scenario with = tripped(R"({"kind": "voltage_sag", "at_s": 100.3, "duration_s": 0.1, "remaining_pu": 0.9})", 300, 180);
  const Scenario without = test::load_tiny_cooling({"simulation.duration_s=600"});
  const RunResult a = run_scenario(with), b = run_scenario(without);
  CHECK(a.engine.cooling->drive_off.empty());
  const json &ca = a.summary["cooling"], &cb = b.summary["cooling"];
  for (const char* k : {"heat_absorbed_mwh", "heat_to_plant_mwh", "heat_stored_mwh"})
    CHECK(ca[k].get<double>() == doctest::Approx(cb[k].get<double>()).epsilon(1e-12));
  CHECK(a.summary["cooling_energy_mwh"].get<double>() == doctest::Approx(b.summary["cooling_energy_mwh"].get<double>()).epsilon(1e-12));
  CHECK(a.summary["alarms"] == b.summary["alarms"]);
  const json& e = a.summary["grid_events"][0];
  CHECK(e["cooling_drives_tripped"] == false);
  CHECK(e["cooling_drives_off_s"].get<double>() == 0.0);
  CHECK(e["first_cooling_alarm"].is_null());
  CHECK(e["max_facility_water_supply_c"].get<double>() == doctest::Approx(18.0));
}

TEST_CASE("drive trip: a long trip raises the facility water alarm, a short one does not") {
  // The smallest loop (0.1 m³, 417 kJ/K; about 1.45 kW of heat: 3.5 mK/s) supplied at 20 °C: W27's
  // limit is 7 K above the setpoint, about 2000 s of trip.
  const std::vector<std::string> warm = {"simulation.duration_s=3000", "cooling.facility_water.loop_volume_m3=0.1",
                                         "cooling.facility_water.supply_c=20", R"(cooling.facility_water.ashrae_class="W27")"};
  const RunResult longer = run_scenario(tripped(kDeepSag, 2400, 0, warm));
  const json& l = longer.summary["grid_events"][0];
  REQUIRE(l["first_cooling_alarm"].is_object());
  CHECK(l["first_cooling_alarm"]["kind"] == "facility_water_above_class");
  CHECK(l["first_cooling_alarm"]["limit"].get<double>() == 27.0);
  CHECK(l["first_cooling_alarm"]["peak"].get<double>() > 27.0);
  CHECK(l["first_cooling_alarm"]["after_s"].get<double>() > 1500.0);
  CHECK(l["first_cooling_alarm"]["after_s"].get<double>() < 2401.0);  // while the drives were off
  CHECK(l["max_facility_water_supply_c"].get<double>() > 27.0);
  CHECK(longer.summary["cooling"]["heat_balance_rel_error"].get<double>() <= 1e-6);

  const RunResult shorter = run_scenario(tripped(kDeepSag, 60, 0, warm));
  const json& s = shorter.summary["grid_events"][0];
  CHECK(s["cooling_drives_tripped"] == true);
  CHECK(s["first_cooling_alarm"].is_null());
  CHECK(s["first_cooling_alarm_note"].is_string());
  CHECK(s["max_facility_water_supply_c"].get<double>() > 20.1);
  CHECK(s["max_facility_water_supply_c"].get<double>() < 27.0);
}

TEST_CASE("drive trip: the plant's off intervals are the window evaluation's trips") {
  const power::RideThroughParams p;
  GridLoads l;
  l.meter_w = 1e6;
  l.cooling_w = 2e5;
  l.it_w = 7e5;
  l.ups_rated_w = 1e6;
  for (double d : {0.01, 0.049, 0.051, 0.3, 5.0})
    for (double v : {0.0, 0.5, 0.69, 0.71, 0.9}) {
      GridEventSpec e;
      e.at_s = 1;
      e.duration_s = d;
      e.remaining_pu = v;
      const GridResponse r = simulate_grid_events({e}, p, l);
      CAPTURE(d);
      CAPTURE(v);
      CHECK(r.events.at(0).cooling_tripped.value() == !cooling_drive_off({e}, p).empty());
    }
}

TEST_CASE("drive trip: without a cooling object the cooling figures are null with the reason") {
  const Scenario sc = test::load_tiny(
      {"simulation.duration_s=50", R"(grid={"events": [{"kind": "voltage_sag", "at_s": 10, "duration_s": 1, "remaining_pu": 0}]})"});
  const RunResult r = run_scenario(sc);
  const json& e = r.summary["grid_events"][0];
  CHECK(e["first_cooling_alarm"].is_null());
  CHECK(e["max_facility_water_supply_c"].is_null());
  CHECK(e["first_cooling_alarm_note"].get<std::string>().find("no cooling object") != std::string::npos);
}

TEST_CASE("drive trip: a run stopped in the middle of a trip and resumed equals the uninterrupted run") {
  // Off over [100, 200), chillers back over 60 s; the stop comes at about 40 % of 400 s.
  const Scenario sc = tripped(kDeepSag, 99, 60, {"simulation.duration_s=400"});
  test::TempDir d0("trip-full"), d1("trip-part");
  const RunResult full = run_scenario(sc);
  std::atomic<bool> stop{false};
  RunOptions ro;
  ro.stop = &stop;
  ro.checkpoint_file = d1.file("run.dctwin");
  ro.progress = [&stop](double f) {
    if (f >= 0.4) stop = true;
  };
  const RunResult part = run_scenario(sc, ro);
  REQUIRE(part.engine.partial);
  const double reached = part.summary["duration_s"].get<double>();
  CHECK(reached > 100.0);
  CHECK(reached < 200.0);
  RunOptions resume;
  resume.resume_file = d1.file("run.dctwin");
  const RunResult done = run_scenario(sc, resume);
  CHECK(done.summary.dump() == full.summary.dump());
  CHECK(done.engine.cooling->series->csv(done.engine.recorder) == full.engine.cooling->series->csv(full.engine.recorder));
}
