// Hand-computed cases for the ride-through models (models/power/ride_through.h).
#include <doctest/doctest.h>

#include <cmath>

#include "models/power/ride_through.h"

using namespace dctwin::power;

TEST_CASE("ride-through: PSU hold-up is inversely proportional to load") {
  PsuHoldUpParams p;  // 10 ms at rated load, 50 % loaded
  CHECK(psu_holdup_s(p) == doctest::Approx(0.020));
  CHECK(psu_rides(p, 0.0, 0.019));
  CHECK_FALSE(psu_rides(p, 0.0, 0.021));
  CHECK(psu_rides(p, 0.75, 5.0));  // above its minimum input: runs on
  p.load_fraction = 1.0;
  CHECK(psu_holdup_s(p) == doctest::Approx(0.010));
  CHECK_FALSE(psu_rides(p, 0.5, 0.011));
}

TEST_CASE("ride-through: the ITIC envelope's corners") {
  CHECK(itic_rides(0.0, 0.020));
  CHECK_FALSE(itic_rides(0.0, 0.021));
  CHECK(itic_rides(0.70, 0.5));
  CHECK_FALSE(itic_rides(0.69, 0.1));
  CHECK(itic_rides(0.80, 10.0));
  CHECK_FALSE(itic_rides(0.79, 1.0));
  CHECK_FALSE(itic_rides(0.85, 11.0));
  CHECK(itic_rides(0.90, 1e6));
}

TEST_CASE("ride-through: UPS input window and autonomy") {
  UpsRideThroughParams u;  // 0.85 p.u., +-3 Hz
  CHECK(ups_input_ok(u, 60, 0.85, 60));
  CHECK_FALSE(ups_input_ok(u, 60, 0.84, 60));
  CHECK_FALSE(ups_input_ok(u, 60, 1.0, 56.9));
  CHECK(ups_input_ok(u, 60, 1.0, 57.0));
  // 5 min at 1 MW rated = 3e8 J; at 0.5 MW load it lasts 10 min.
  CHECK(ups_autonomy_s(300 * 1.0e6, 0.5e6) == doctest::Approx(600));
  CHECK(ups_autonomy_s(3e8, 0) > 1e300);
}

TEST_CASE("ride-through: the UPS sees its input through a half-cycle RMS window") {
  UpsRideThroughParams u;
  CHECK(ups_detection_window_s(u, 60) == doctest::Approx(1.0 / 120));
  CHECK(ups_detection_window_s(u, 50) == doctest::Approx(0.01));
  u.detection_window_s = 0.004;
  CHECK(ups_detection_window_s(u, 60) == 0.004);
  // Window 10 ms, 1 p.u. before. 2 ms at 0 V: V^2 = 8/10 -> 0.894427; 3 ms: 7/10 -> 0.836660.
  SlidingRms w(0.010);
  CHECK(w.rms_pu() == doctest::Approx(1.0));
  w.push(0.0, 0.001);
  w.push(0.0, 0.001);
  CHECK(w.rms_pu() == doctest::Approx(std::sqrt(0.8)).epsilon(1e-12));
  w.push(0.0, 0.001);
  CHECK(w.rms_pu() == doctest::Approx(std::sqrt(0.7)).epsilon(1e-12));
  // 0.5 p.u. for 4 ms more: 3 ms at 0, 4 ms at 0.25, 3 ms of the old 1 p.u. -> (1 + 3) / 10.
  for (int i = 0; i < 4; ++i) w.push(0.5, 0.001);
  CHECK(w.rms_pu() == doctest::Approx(std::sqrt(0.4)).epsilon(1e-12));
  // A step as long as the window or longer: its own voltage.
  w.push(0.9, 0.1);
  CHECK(w.rms_pu() == doctest::Approx(0.9).epsilon(1e-12));
  // Window 0: every step's own voltage.
  SlidingRms z(0);
  z.push(0.3, 0.001);
  CHECK(z.rms_pu() == doctest::Approx(0.3));
}

TEST_CASE("ride-through: the disturbance counter trips at N within T") {
  DisturbanceCounter c(3, 60);
  CHECK_FALSE(c.record(0));
  CHECK_FALSE(c.record(10));
  CHECK(c.record(20));
  DisturbanceCounter d(3, 60);
  CHECK_FALSE(d.record(0));
  CHECK_FALSE(d.record(40));
  CHECK_FALSE(d.record(70));  // 0 has left the window: 40 and 70 only
  CHECK(d.record(80));
}

TEST_CASE("ride-through: retransfer ramp in groups") {
  UpsRideThroughParams u;  // delay 10 s, 4 groups 5 s apart, 10 s walk-in each
  CHECK(retransfer_fraction(u, 9.0) == 0.0);
  CHECK(retransfer_fraction(u, 10.0) == 0.0);
  CHECK(retransfer_fraction(u, 15.0) == doctest::Approx(0.125));  // group 0 half-way
  CHECK(retransfer_fraction(u, 20.0) == doctest::Approx(0.375));  // 1/4 + 1/8
  CHECK(retransfer_fraction(u, 30.0) == doctest::Approx(0.875));  // 1/4 + 1/4 + 1/4 + 1/8
  CHECK(retransfer_fraction(u, 35.0) == doctest::Approx(1.0));
  u.walk_in_s = 0;
  u.retransfer_groups = 1;
  CHECK(retransfer_fraction(u, 10.0) == 1.0);
}

TEST_CASE("ride-through: generator staged acceptance") {
  GeneratorParams g;
  g.capacity_w = 1e6;
  g.start_s = 10;
  g.stages = 3;
  g.stage_interval_s = 5;
  CHECK(generator_accepted_fraction(g, 9.99) == 0.0);
  CHECK(generator_accepted_fraction(g, 10.0) == doctest::Approx(1.0 / 3));
  CHECK(generator_accepted_fraction(g, 15.0) == doctest::Approx(2.0 / 3));
  CHECK(generator_accepted_fraction(g, 25.0) == doctest::Approx(1.0));
}
