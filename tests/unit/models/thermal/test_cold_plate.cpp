#include <doctest/doctest.h>

#include <cmath>

#include "models/thermal/cold_plate.h"

using namespace dctwin::thermal;

TEST_CASE("cold plate: steady junction and illustrative H100-class values") {
  const ColdPlateParams p = cold_plate_h100_class_illustrative();
  CHECK(p.r_th_k_w == 0.035);
  CHECK(p.tau_s == 2.0);
  CHECK(p.dp_design_pa == 50000.0);
  // 30 + 700 * 0.035 = 54.5 °C
  CHECK(cold_plate_steady_c(p, 700.0, 30.0) == doctest::Approx(54.5));
  CHECK(cold_plate_steady_c(p, 0.0, 30.0) == doctest::Approx(30.0));
}

TEST_CASE("cold plate: exact exponential lag, stable at any step") {
  const ColdPlateParams p = cold_plate_h100_class_illustrative();
  // from 30 °C toward 54.5 °C: after tau (2 s) 54.5 - 24.5 e^-1 = 45.48695
  CHECK(cold_plate_step_c(p, 30.0, 700.0, 30.0, 2.0) == doctest::Approx(54.5 - 24.5 * std::exp(-1.0)));
  CHECK(cold_plate_step_c(p, 30.0, 700.0, 30.0, 2.0) == doctest::Approx(45.48695).epsilon(1e-6));
  // one step of 2 s == two steps of 1 s == 2000 steps of 1 ms (exact for constant input)
  double t = 30.0;
  for (int i = 0; i < 2000; ++i) t = cold_plate_step_c(p, t, 700.0, 30.0, 1e-3);
  CHECK(t == doctest::Approx(54.5 - 24.5 * std::exp(-1.0)).epsilon(1e-12));
  // a step much longer than tau lands on the steady value without overshoot
  CHECK(cold_plate_step_c(p, 30.0, 700.0, 30.0, 1e4) == doctest::Approx(54.5));
  CHECK(cold_plate_step_c(p, 80.0, 700.0, 30.0, 1e4) == doctest::Approx(54.5));
  CHECK(cold_plate_step_c(p, 40.0, 700.0, 30.0, 0.0) == doctest::Approx(40.0));
}

TEST_CASE("cold plate: coolant outlet and pressure drop") {
  const ColdPlateParams p = cold_plate_h100_class_illustrative();
  // 700 W at 0.0167 kg/s water: rise 700 / (0.0167 * 4180) = 10.0278 K
  CHECK(cold_plate_outlet_c(700.0, 30.0, 0.0167, 4180.0) == doctest::Approx(40.02779).epsilon(1e-6));
  CHECK(cold_plate_dp_pa(p, 0.0167) == doctest::Approx(50000.0));
  // half flow: 50000 * 0.5^1.85 = 13869.62 Pa
  CHECK(cold_plate_dp_pa(p, 0.00835) == doctest::Approx(50000.0 * std::pow(0.5, 1.85)));
  CHECK(cold_plate_dp_pa(p, 0.00835) == doctest::Approx(13869.62).epsilon(1e-5));
}

TEST_CASE("cold plate: OCP 1 kW OAM resistance table") {
  const auto t = ocp_1kw_oam_water_resistance();
  REQUIRE(t.size() == 4);
  const double q = 997.0 / 1000.0 / 60.0;  // kg/s per L/min
  CHECK(cold_plate_resistance_k_w(t, 2.0 * q) == doctest::Approx(0.0172));
  CHECK(cold_plate_resistance_k_w(t, 5.0 * q) == doctest::Approx(0.0151));
  // 2.5 L/min: halfway 0.0172 .. 0.0160 = 0.0166
  CHECK(cold_plate_resistance_k_w(t, 2.5 * q) == doctest::Approx(0.0166));
  CHECK(cold_plate_resistance_k_w(t, 1.0 * q) == doctest::Approx(0.0172));  // held below the table
  CHECK(cold_plate_resistance_k_w(t, 9.0 * q) == doctest::Approx(0.0151));  // held above
  // 1 kW at 4 L/min, 30 °C inlet: case at 30 + 1000 * 0.0154 = 45.4 °C
  ColdPlateParams p{cold_plate_resistance_k_w(t, 4.0 * q), 2.0, 50000.0, 4.0 * q};
  CHECK(cold_plate_steady_c(p, 1000.0, 30.0) == doctest::Approx(45.4));
}
