// The reduced evaluation of grid disturbances (sim/facility/grid_response.h) on a 100 MW load
// with 10 MW of cooling and 120 MW of UPS, every figure computed by hand from the defaults of
// models/power/ride_through.h.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/facility/grid_response.h"

using namespace dctwin;

namespace {

GridLoads loads(bool cooling = true) {
  GridLoads l;
  l.meter_w = 100e6;
  if (cooling) l.cooling_w = 10e6;
  l.it_w = 85e6;
  l.ups_rated_w = 120e6;
  return l;
}

GridEventSpec sag(double at, double d, double v) {
  GridEventSpec e;
  e.kind = v == 0 ? GridEventKind::Outage : GridEventKind::VoltageSag;
  e.at_s = at;
  e.duration_s = d;
  e.remaining_pu = v;
  return e;
}

double meter_at(const GridResponse& r, double t) {
  for (const auto& x : r.trace)
    if (x.t_s >= t - 1e-9) return x.meter_w;
  return std::nan("");
}

}  // namespace

TEST_CASE("grid response: a 0.9 p.u. 100 ms sag loses nothing") {
  const GridResponse r = simulate_grid_events({sag(5, 0.1, 0.9)}, power::RideThroughParams{}, loads());
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].load_lost_w == 0.0);
  CHECK(r.events[0].ups_energy_j == 0.0);
  CHECK_FALSE(r.events[0].it_power_lost);
  CHECK(r.events[0].time_to_restore_s.value_or(-1) == 0.0);
  CHECK(r.events[0].cooling_tripped == std::optional<bool>(false));
}

TEST_CASE("grid response: a 0 V 300 ms sag moves the UPS-backed load off the grid") {
  power::RideThroughParams p;
  const GridResponse r = simulate_grid_events({sag(5, 0.3, 0.0)}, p, loads());
  const GridEventResult& e = r.events[0];
  CHECK(e.load_lost_w == doctest::Approx(100e6));  // nothing drawn at 0 V
  CHECK_FALSE(e.it_power_lost);                     // the UPS carries the IT
  CHECK(e.cooling_tripped == std::optional<bool>(true));
  // After the sag: UPS on battery, cooling locked out: the meter sees nothing.
  CHECK(meter_at(r, 6.0) == 0.0);
  // Off the input 0.3 s + the groups' mean (10+5, 15+5, 20+5, 25+5) = 22.8 s at 90 MW.
  CHECK(e.ups_energy_j == doctest::Approx(90e6 * 22.8).epsilon(2e-4));
  CHECK(e.recharge_peak_w == doctest::Approx(12e6));  // 10 % of 120 MW
  // Back within 5 % only when the cooling restarts, 300 s after the voltage returned.
  REQUIRE(e.time_to_restore_s);
  CHECK(*e.time_to_restore_s == doctest::Approx(300.3).epsilon(1e-3));
  CHECK(r.max_balance_rel_error < 1e-9);
}

TEST_CASE("grid response: a sag shorter than the UPS's detection window is not a transfer") {
  // 60 Hz: window 8.333 ms. 0 V for 2 ms: RMS^2 = 1 - 2/8.333 = 0.76 >= 0.85^2 = 0.7225: the UPS
  // stays on its input (no battery energy, back at once); 0 V for 3 ms: 0.64 < 0.7225: it transfers
  // and the load is off the grid for the retransfer (> 20 s). The cooling drives ride both (50 ms).
  power::RideThroughParams p;
  const GridResponse a = simulate_grid_events({sag(5, 0.002, 0.0)}, p, loads());
  CHECK(a.events[0].ups_energy_j == 0.0);
  REQUIRE(a.events[0].time_to_restore_s);
  CHECK(*a.events[0].time_to_restore_s <= 0.002 + 1e-9);
  CHECK(a.events[0].cooling_tripped == std::optional<bool>(false));
  const GridResponse b = simulate_grid_events({sag(5, 0.003, 0.0)}, p, loads());
  CHECK(b.events[0].ups_energy_j > 0.0);
  REQUIRE(b.events[0].time_to_restore_s);
  CHECK(*b.events[0].time_to_restore_s > 20.0);
  // A 0 ms window (every step as is) transfers on the 2 ms sag too.
  p.ups.detection_window_s = 0.0;
  const GridResponse c = simulate_grid_events({sag(5, 0.002, 0.0)}, p, loads());
  CHECK(c.events[0].ups_energy_j > 0.0);
  CHECK(c.max_balance_rel_error < 1e-9);
}

TEST_CASE("grid response: four 0.3 p.u. dips 10 s apart trip the counter and hold the load off") {
  power::RideThroughParams p;
  p.ups.counter_return_s = 120;
  p.ups.recharge_fraction = 0;
  GridResponseOptions o;
  o.fine_after_s = 200;
  const GridResponse r = simulate_grid_events({sag(5, 0.1, 0.3), sag(15, 0.1, 0.3), sag(25, 0.1, 0.3), sag(35, 0.1, 0.3)}, p,
                                              loads(false), o);
  REQUIRE(r.events.size() == 4);
  CHECK_FALSE(r.events[0].counter_tripped);
  CHECK_FALSE(r.events[1].counter_tripped);
  CHECK(r.events[2].counter_tripped);
  // Locked on backup from the third dip (25 s) until 25 + 120 = 145 s.
  for (double t : {26.0, 60.0, 100.0, 144.9}) CHECK(meter_at(r, t) == 0.0);
  // Then the retransfer: 95 % of the load back at 145 + 10 + 15 + 8 = 178 s (r = 0.75 + 0.25 * 8/10).
  REQUIRE(r.events[0].time_to_restore_s);
  CHECK(*r.events[0].time_to_restore_s == doctest::Approx(178 - 5).epsilon(1e-4));
  CHECK_FALSE(r.events[3].it_power_lost);
  CHECK(r.max_balance_rel_error < 1e-9);
}

TEST_CASE("grid response: manual return after the counter leaves the load off to the end") {
  const GridResponse r = simulate_grid_events({sag(5, 0.1, 0.3), sag(15, 0.1, 0.3), sag(25, 0.1, 0.3)},
                                              power::RideThroughParams{}, loads(false));
  CHECK(r.events[2].counter_tripped);
  CHECK_FALSE(r.events[0].time_to_restore_s);
  CHECK(r.events[2].load_lost_w == doctest::Approx(100e6));
}

TEST_CASE("grid response: the battery runs out, the generator takes over, balances hold") {
  power::RideThroughParams p;
  p.ups.autonomy_rated_s = 5;  // 5 s at 120 MW = 600 MJ: 6.67 s at 90 MW
  GridResponse r = simulate_grid_events({sag(5, 20, 0.0)}, p, loads());
  CHECK(r.events[0].it_power_lost);
  CHECK(r.events[0].ups_energy_j == doctest::Approx(600e6 * std::sqrt(0.9)).epsilon(1e-6));
  CHECK(r.max_balance_rel_error < 1e-9);
  power::GeneratorParams g;
  g.capacity_w = 100e6;
  p.generator = g;  // accepts the whole load 10 s after the transfer: within 6.67 s? no
  r = simulate_grid_events({sag(5, 20, 0.0)}, p, loads());
  CHECK(r.events[0].it_power_lost);
  p.ups.autonomy_rated_s = 10;  // 13.3 s at 90 MW: the generator is on at 10 s
  r = simulate_grid_events({sag(5, 20, 0.0)}, p, loads());
  CHECK_FALSE(r.events[0].it_power_lost);
  REQUIRE(r.events[0].generator_energy_j);
  CHECK(*r.events[0].generator_energy_j > 0);
  // The UPS sees the 0 V input 2 ms late (its half-cycle RMS falls below 0.85 in the 3rd 1-ms step,
  // the step starting at 5.002 s) and the return 6 ms late (7 steps at 1 p.u. bring it back to 0.85).
  // Battery 10 s at 90 MW, generator from 10 s after the transfer until the ramp back
  // (20 s + 6 ms - 2 ms + 22.5 s mean) = 32.504 s.
  CHECK(r.events[0].ups_energy_j == doctest::Approx(90e6 * 10).epsilon(1e-4));
  CHECK(*r.events[0].generator_energy_j == doctest::Approx(90e6 * 32.504).epsilon(2e-5));
  CHECK(r.max_balance_rel_error < 1e-9);
}

TEST_CASE("grid response: IT not behind a UPS follows ITIC, or rides on rack BBUs while they last") {
  power::RideThroughParams p;
  p.it_on_ups_fraction = 0;  // 100 MW of IT straight on the feed
  GridLoads l = loads(false);
  // ITIC: 0 V rides 20 ms, not 30 ms.
  CHECK_FALSE(simulate_grid_events({sag(5, 0.020, 0.0)}, p, l).events[0].it_power_lost);
  CHECK(simulate_grid_events({sag(5, 0.030, 0.0)}, p, l).events[0].it_power_lost);
  // 80 % rides 10 s, 75 % does not ride 1 s.
  CHECK_FALSE(simulate_grid_events({sag(5, 9.0, 0.8)}, p, l).events[0].it_power_lost);
  CHECK(simulate_grid_events({sag(5, 1.0, 0.75)}, p, l).events[0].it_power_lost);
  // BBUs holding 2 s of the load: a 1 s outage is carried, a 3 s one is not.
  l.bbu_energy_j = 100e6 * 2;
  CHECK_FALSE(simulate_grid_events({sag(5, 1.0, 0.0)}, p, l).events[0].it_power_lost);
  CHECK(simulate_grid_events({sag(5, 3.0, 0.0)}, p, l).events[0].it_power_lost);
}

TEST_CASE("grid response: the IT outage intervals (which part, when lost, when back)") {
  power::RideThroughParams p;
  p.it_on_ups_fraction = 0;  // 100 MW of IT straight on the feed, ITIC
  p.it_restart_s = 20;
  const GridLoads l = loads(false);
  // A 0 V outage of 1 s at 5 s: ITIC rides 20 ms; the 1 ms step that would end past 20 ms is the
  // first without supply: the one starting at 5.020 s (5.019 s when the sum of the steps' times
  // rounds past the boundary: 1 ms either way). Back at the first step at or after the voltage's
  // return (6 s) + it_restart_s: 26 s (within one 1 ms step).
  const auto r = simulate_grid_events({sag(5, 1.0, 0.0)}, p, l);
  REQUIRE(r.events[0].it_outages.size() == 1);
  const ItOutage& o = r.events[0].it_outages[0];
  CHECK_FALSE(o.behind_ups);
  CHECK(o.off_s >= 5.019 - 1e-9);
  CHECK(o.off_s <= 5.020 + 1e-9);
  REQUIRE(o.on_s);
  CHECK(*o.on_s >= 26.0 - 1e-9);
  CHECK(*o.on_s <= 26.001 + 1e-9);
  // A sag the IT rides: no interval.
  CHECK(simulate_grid_events({sag(5, 0.010, 0.0)}, p, l).events[0].it_outages.empty());
  // Behind a UPS that carries the outage (10 s at 90 MW of its 120 MW x 300 s): no interval.
  p.it_on_ups_fraction = 1;
  CHECK(simulate_grid_events({sag(5, 1.0, 0.0)}, p, l).events[0].it_outages.empty());
}
