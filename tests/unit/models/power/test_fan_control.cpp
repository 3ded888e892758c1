#include <doctest/doctest.h>

#include <cmath>

#include "models/power/fan_control.h"

using namespace dctwin::power;

TEST_CASE("fan control: first-order lag of the heat, its value and its exact mean over a piece") {
  // From 0 W toward 100 W for dt = tau = 10 s: Q_f = 100 (1 - e^-1) = 63.212055882855767 W; mean
  // over the piece = 100 - 100 (tau/dt)(1 - e^-1) = 100 e^-1 = 36.787944117144233 W.
  CHECK(fan_lag_after(0.0, 100.0, 10.0, 10.0) == doctest::Approx(63.212055882855767).epsilon(1e-14));
  CHECK(fan_lag_mean(0.0, 100.0, 10.0, 10.0) == doctest::Approx(36.787944117144233).epsilon(1e-14));
  // Mean over a piece = integral of the value: (Q dt - tau (Q_f(dt) - Q_f(0))) / dt.
  const double y1 = fan_lag_after(700.0, 200.0, 3.0, 7.0);
  CHECK(fan_lag_mean(700.0, 200.0, 3.0, 7.0) == doctest::Approx((200.0 * 3.0 - 7.0 * (y1 - 700.0)) / 3.0).epsilon(1e-13));
  // A very short piece: the mean is the start value (expm1 keeps it exact).
  CHECK(fan_lag_mean(500.0, 1500.0, 1e-12, 10.0) == doctest::Approx(500.0).epsilon(1e-12));
  CHECK(fan_lag_mean(500.0, 1500.0, 0.0, 10.0) == 500.0);
  // tau = 0: no lag.
  CHECK(fan_lag_after(500.0, 1500.0, 1.0, 0.0) == 1500.0);
  CHECK(fan_lag_mean(500.0, 1500.0, 1.0, 0.0) == 1500.0);
}
