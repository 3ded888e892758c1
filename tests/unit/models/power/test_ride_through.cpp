// Hand-computed cases for the ride-through models (models/power/ride_through.h).
#include <doctest/doctest.h>

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
