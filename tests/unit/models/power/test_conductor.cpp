#include <doctest/doctest.h>

#include <initializer_list>

#include "models/power/conductor.h"

using namespace dctwin::power;

TEST_CASE("conductor: I^2 R loss by hand") {
  const ConductorParams busway{1.0e6, 0.005};  // 1 MW, 0.5 % at full load (test values)
  // full load: 0.005 * 1e6 = 5000 W
  CHECK(conductor_loss_w(busway, 1.0e6) == doctest::Approx(5000.0).epsilon(1e-12));
  // half load: 5000 * 0.25 = 1250 W
  CHECK(conductor_loss_w(busway, 5.0e5) == doctest::Approx(1250.0).epsilon(1e-12));
  // 30 %: 5000 * 0.09 = 450 W
  CHECK(conductor_loss_w(busway, 3.0e5) == doctest::Approx(450.0).epsilon(1e-12));
  // no load, no loss
  CHECK(conductor_loss_w(busway, 0.0) == 0.0);
  // overload 200 %: 5000 * 4 = 20000 W (not clipped)
  CHECK(conductor_loss_w(busway, 2.0e6) == doctest::Approx(20000.0).epsilon(1e-12));
}

TEST_CASE("conductor: doubling the load quadruples the loss") {
  const ConductorParams pdu{20.0e3, 0.01};
  for (double w : {1000.0, 2500.0, 7000.0}) {
    CHECK(conductor_loss_w(pdu, 2.0 * w) == doctest::Approx(4.0 * conductor_loss_w(pdu, w)).epsilon(1e-12));
  }
  CHECK(conductor_loss_w(pdu, 10.0e3) > conductor_loss_w(pdu, 9.0e3));
}
