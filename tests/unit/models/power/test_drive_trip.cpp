// Hand-computed cases for the cooling drives' off intervals and the chillers' restart ramp
// (models/power/ride_through.h drive_off_intervals, chiller_restart_fraction).
#include <doctest/doctest.h>

#include "models/power/ride_through.h"

using namespace dctwin::power;

TEST_CASE("drive trip: a deep sag longer than the ride-through trips the drives until lockout after it") {
  const DriveTripParams d;  // 0.7 p.u., 50 ms, 300 s lockout
  const auto off = drive_off_intervals(d, {{100.0, 100.3, 0.0}});
  REQUIRE(off.size() == 1);
  CHECK(off[0].off_s == doctest::Approx(100.05));
  CHECK(off[0].restart_s == doctest::Approx(400.3));
  // Ridden: shorter than the ride-through, or not below the trip level.
  CHECK(drive_off_intervals(d, {{100.0, 100.04, 0.0}}).empty());
  CHECK(drive_off_intervals(d, {{100.0, 110.0, 0.9}}).empty());
  CHECK(drive_off_intervals(d, {{100.0, 110.0, 0.7}}).empty());
  CHECK(drive_off_intervals(d, {}).empty());
}

TEST_CASE("drive trip: a dip while locked out restarts the lockout, and dips far apart trip twice") {
  DriveTripParams d;
  d.restart_lockout_s = 60;
  // Second dip (20 ms: shorter than the ride-through) while off: the lockout counts from its end.
  auto off = drive_off_intervals(d, {{10.0, 10.2, 0.3}, {40.0, 40.02, 0.3}});
  REQUIRE(off.size() == 1);
  CHECK(off[0].off_s == doctest::Approx(10.05));
  CHECK(off[0].restart_s == doctest::Approx(100.02));
  // Adjacent dips are one low stretch: 30 ms + 30 ms > 50 ms.
  off = drive_off_intervals(d, {{10.0, 10.03, 0.5}, {10.03, 10.06, 0.0}});
  REQUIRE(off.size() == 1);
  CHECK(off[0].off_s == doctest::Approx(10.05));
  CHECK(off[0].restart_s == doctest::Approx(70.06));
  // After the restart a new dip trips again.
  off = drive_off_intervals(d, {{10.0, 10.2, 0.0}, {100.0, 100.2, 0.0}});
  REQUIRE(off.size() == 2);
  CHECK(off[0].restart_s == doctest::Approx(70.2));
  CHECK(off[1].off_s == doctest::Approx(100.05));
  CHECK(off[1].restart_s == doctest::Approx(160.2));
}

TEST_CASE("drive trip: the chillers' capacity ramps linearly after the restart") {
  DriveTripParams d;
  d.chiller_ramp_s = 120;
  CHECK(chiller_restart_fraction(d, -1) == 0.0);
  CHECK(chiller_restart_fraction(d, 30) == doctest::Approx(0.25));
  CHECK(chiller_restart_fraction(d, 120) == 1.0);
  CHECK(chiller_restart_fraction(d, 1e6) == 1.0);
  d.chiller_ramp_s = 0;
  CHECK(chiller_restart_fraction(d, 0) == 1.0);
}
