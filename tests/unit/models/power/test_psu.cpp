#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>

#include "models/power/psu.h"

using namespace dctwin::power;

namespace {
PsuParams titanium_1kw() { return PsuParams{1000.0, psu_curve_80plus_titanium_230v()}; }
}  // namespace

TEST_CASE("psu: efficiency at the curve points equals the points") {
  const PsuParams p = titanium_1kw();
  CHECK(psu_efficiency(p, 100.0) == doctest::Approx(0.90).epsilon(1e-12));
  CHECK(psu_efficiency(p, 200.0) == doctest::Approx(0.94).epsilon(1e-12));
  CHECK(psu_efficiency(p, 500.0) == doctest::Approx(0.96).epsilon(1e-12));
  CHECK(psu_efficiency(p, 1000.0) == doctest::Approx(0.91).epsilon(1e-12));
}

TEST_CASE("psu: linear interpolation between points") {
  const PsuParams p = titanium_1kw();
  // 35 %: halfway between 20 % (0.94) and 50 % (0.96) -> 0.95; loss = 350/0.95 - 350 = 18.42105 W
  CHECK(psu_efficiency(p, 350.0) == doctest::Approx(0.95).epsilon(1e-12));
  CHECK(psu_loss_w(p, 350.0) == doctest::Approx(18.421053).epsilon(1e-7));
  // 75 %: halfway between 50 % (0.96) and 100 % (0.91) -> 0.935
  CHECK(psu_efficiency(p, 750.0) == doctest::Approx(0.935).epsilon(1e-12));
  // 15 %: halfway between 10 % (0.90) and 20 % (0.94) -> 0.92
  CHECK(psu_efficiency(p, 150.0) == doctest::Approx(0.92).epsilon(1e-12));
}

TEST_CASE("psu: loss is held at its first-point value below the first point") {
  const PsuParams p = titanium_1kw();
  // loss at 10 % = 100/0.90 - 100 = 11.11111 W
  const double floor_w = 100.0 / 0.9 - 100.0;
  CHECK(psu_loss_w(p, 100.0) == doctest::Approx(11.111111).epsilon(1e-7));
  CHECK(psu_loss_w(p, 50.0) == doctest::Approx(floor_w).epsilon(1e-12));
  CHECK(psu_loss_w(p, 0.0) == doctest::Approx(floor_w).epsilon(1e-12));
  // 5 %: eta = 50 / (50 + 11.11111) = 0.8181818
  CHECK(psu_efficiency(p, 50.0) == doctest::Approx(0.8181818).epsilon(1e-7));
  CHECK(psu_efficiency(p, 0.0) == 0.0);
  // continuity at the first point from below
  CHECK(psu_efficiency(p, 99.9999) == doctest::Approx(0.90).epsilon(1e-6));
}

TEST_CASE("psu: overload uses the last efficiency, not clipped") {
  const PsuParams p = titanium_1kw();
  // 120 %: eta = 0.91; loss = 1200/0.91 - 1200 = 118.68132 W
  CHECK(psu_efficiency(p, 1200.0) == doctest::Approx(0.91).epsilon(1e-12));
  CHECK(psu_loss_w(p, 1200.0) == doctest::Approx(118.68132).epsilon(1e-7));
}

TEST_CASE("psu: loss and efficiency agree") {
  const PsuParams p = titanium_1kw();
  for (double w : {30.0, 100.0, 170.0, 420.0, 880.0, 1100.0}) {
    const double eta = psu_efficiency(p, w);
    CHECK(psu_loss_w(p, w) == doctest::Approx(w / eta - w).epsilon(1e-9));
  }
}

TEST_CASE("psu: rated power scales the curve") {
  // a 3.3 kW supply at 1650 W is at 50 %: eta 0.96, loss = 1650/0.96 - 1650 = 68.75 W
  const PsuParams p{3300.0, psu_curve_80plus_titanium_230v()};
  CHECK(psu_loss_w(p, 1650.0) == doctest::Approx(68.75).epsilon(1e-12));
}

TEST_CASE("psu: empty curve gives NaN, never a silent number") {
  const PsuParams p{1000.0, {}};
  CHECK(std::isnan(psu_efficiency(p, 500.0)));
  CHECK(std::isnan(psu_loss_w(p, 500.0)));
}

TEST_CASE("psu: curve validation messages") {
  CHECK(psu_curve_problem(psu_curve_80plus_titanium_230v()).empty());
  CHECK(psu_curve_problem({{0.5, 0.9}, {0.2, 0.9}}) == "load_fraction must increase: 0.5 then 0.2");
  CHECK(psu_curve_problem({{0.2, 0.9}, {0.2, 0.95}}) == "load_fraction must increase: 0.2 then 0.2");
  CHECK(psu_curve_problem({{0.1, 1.2}}) == "efficiency 1.2 outside (0,1]");
  CHECK(psu_curve_problem({{0.1, 0.0}}) == "efficiency 0 outside (0,1]");
  CHECK(psu_curve_problem({{0.0, 0.9}}) == "load_fraction 0 must be > 0");
  CHECK(psu_curve_problem({}) == "curve has no points");
  CHECK(psu_curve_problem({{0.1, 1.0}}).empty());
}
