#include <doctest/doctest.h>

#include "models/thermal/economizer.h"

using namespace dctwin::thermal;

TEST_CASE("economizer: three modes by hand") {
  // return 18 C, supply 12 C, HX approach 2 K, 5 MW load
  // cold water 9 C: T_hx = 11 <= 12 -> full free cooling
  EconomizerPoint e = waterside_economizer(5.0e6, 18.0, 12.0, 9.0, 2.0);
  CHECK(e.mode == EconomizerMode::Full);
  CHECK(e.free_fraction == 1.0);
  CHECK(e.chiller_load_w == 0.0);
  CHECK(e.hx_leaving_c == doctest::Approx(12.0).epsilon(1e-15));
  // 13 C: T_hx = 15 -> partial, f = (18 - 15)/(18 - 12) = 0.5, chillers 2.5 MW from 15 C to 12 C
  e = waterside_economizer(5.0e6, 18.0, 12.0, 13.0, 2.0);
  CHECK(e.mode == EconomizerMode::Partial);
  CHECK(e.free_fraction == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(e.free_load_w == doctest::Approx(2.5e6).epsilon(1e-15));
  CHECK(e.chiller_load_w == doctest::Approx(2.5e6).epsilon(1e-15));
  CHECK(e.hx_leaving_c == doctest::Approx(15.0).epsilon(1e-15));
  // 16 C: T_hx = 18 >= return -> off
  e = waterside_economizer(5.0e6, 18.0, 12.0, 16.0, 2.0);
  CHECK(e.mode == EconomizerMode::Off);
  CHECK(e.free_fraction == 0.0);
  CHECK(e.chiller_load_w == doctest::Approx(5.0e6).epsilon(1e-15));
  CHECK(e.hx_leaving_c == doctest::Approx(18.0).epsilon(1e-15));
  // boundary exactly at the setpoint counts as full
  CHECK(waterside_economizer(5.0e6, 18.0, 12.0, 10.0, 2.0).mode == EconomizerMode::Full);
}

TEST_CASE("economizer: properties") {
  double prev = 2.0;
  for (int i = 0; i <= 40; ++i) {
    const double tcw = 5.0 + 0.5 * i;  // warmer cooling water -> less free cooling
    const EconomizerPoint e = waterside_economizer(4.0e6, 20.0, 14.0, tcw, 1.5);
    CHECK(e.free_fraction <= prev);
    CHECK(e.free_fraction >= 0.0);
    CHECK(e.free_fraction <= 1.0);
    CHECK(e.free_load_w + e.chiller_load_w == doctest::Approx(4.0e6).epsilon(1e-12));
    prev = e.free_fraction;
  }
  // a larger HX approach never gives more free cooling
  CHECK(waterside_economizer(1.0, 20.0, 14.0, 13.0, 3.0).free_fraction <
        waterside_economizer(1.0, 20.0, 14.0, 13.0, 1.0).free_fraction);
}

TEST_CASE("economizer: a cooling water within the tolerance of the setpoint is full free cooling") {
  // return 18 C, supply 12 C, approach 2 K: the tower holds T_cw = 10 C, an iterative solve lands
  // at 10 + 4e-10. Without tolerance: partial, f = (18 - 12.0000000004) / 6 < 1 and a chiller load
  // of 5e6 x 4e-10 / 6 = 3.3e-4 W. With the solver's 1e-3 K: full, chiller load exactly 0.
  EconomizerPoint e = waterside_economizer(5.0e6, 18.0, 12.0, 10.0 + 4e-10, 2.0, 1e-3);
  CHECK(e.mode == EconomizerMode::Full);
  CHECK(e.chiller_load_w == 0.0);
  CHECK(e.hx_leaving_c == 12.0);
  // 2e-3 K above: partial, chiller load = Q x 2e-3 / 6 = 1666.67 W (= m cp x 2e-3 K, m cp = Q / 6 K).
  e = waterside_economizer(5.0e6, 18.0, 12.0, 10.002, 2.0, 1e-3);
  CHECK(e.mode == EconomizerMode::Partial);
  CHECK(e.chiller_load_w == doctest::Approx(5.0e6 * 0.002 / 6.0).epsilon(1e-6));
}
