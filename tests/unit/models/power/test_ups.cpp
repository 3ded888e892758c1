#include <doctest/doctest.h>

#include "models/power/ups.h"

using namespace dctwin::power;

TEST_CASE("ups: default double-conversion coefficients are the high-efficiency-vfi curve") {
  const UpsParams u = ups_default_double_conversion(1.0e6);
  CHECK(u.rated_w == 1.0e6);
  CHECK(u.no_load_loss_frac == doctest::Approx(0.004).epsilon(1e-12));
  CHECK(u.proportional_loss_frac == doctest::Approx(0.017).epsilon(1e-12));
  CHECK(u.square_loss_frac == doctest::Approx(0.012).epsilon(1e-12));
  CHECK(u.mode == UpsMode::DoubleConversion);
  const UpsParams legacy = ups_legacy_wp108(1.0e6);
  CHECK(legacy.no_load_loss_frac == doctest::Approx(0.009).epsilon(1e-12));
  CHECK(legacy.proportional_loss_frac == doctest::Approx(0.033).epsilon(1e-12));
  CHECK(legacy.square_loss_frac == doctest::Approx(0.003).epsilon(1e-12));
}

TEST_CASE("ups: named curves") {
  REQUIRE(ups_curve_names().size() == 2);
  CHECK(ups_curve_names()[0] == "high-efficiency-vfi");
  const auto hi = ups_named_curve("high-efficiency-vfi", 2.0e6);
  REQUIRE(hi.has_value());
  CHECK(hi->rated_w == 2.0e6);
  CHECK(hi->no_load_loss_frac == doctest::Approx(0.004).epsilon(1e-12));
  const auto old = ups_named_curve("legacy-wp108", 2.0e6);
  REQUIRE(old.has_value());
  CHECK(old->no_load_loss_frac == doctest::Approx(0.009).epsilon(1e-12));
  CHECK_FALSE(ups_named_curve("wp108", 2.0e6).has_value());
}

TEST_CASE("ups: default loss at 40 % load by hand") {
  // 1 MW unit at 400 kW, x = 0.4:
  // loss = 1e6 * (0.004 + 0.017*0.4 + 0.012*0.16) = 1e6 * (0.004 + 0.0068 + 0.00192) = 12720 W
  // eta = 400 000 / 412 720 = 0.9691801
  // (the old default gave 1e6 * (0.009 + 0.0132 + 0.00048) = 22680 W, eta 0.9463);
  const UpsParams u = ups_default_double_conversion(1.0e6);
  CHECK(ups_loss_w(u, 4.0e5) == doctest::Approx(12720.0).epsilon(1e-9));
  CHECK(ups_efficiency(u, 4.0e5) == doctest::Approx(0.9691801).epsilon(1e-6));
  const UpsParams legacy = ups_legacy_wp108(1.0e6);
  CHECK(ups_loss_w(legacy, 4.0e5) == doctest::Approx(22680.0).epsilon(1e-9));
}

TEST_CASE("ups: legacy-wp108 double-conversion loss and efficiency by hand") {
  const UpsParams u = ups_legacy_wp108(1.0e6);
  // 30 %: loss = 1e6 * (0.009 + 0.033*0.3 + 0.003*0.09) = 1e6 * 0.01917 = 19170 W
  //       eta = 300 000 / 319 170 = 0.9399380
  CHECK(ups_loss_w(u, 3.0e5) == doctest::Approx(19170.0).epsilon(1e-9));
  CHECK(ups_efficiency(u, 3.0e5) == doctest::Approx(0.9399380).epsilon(1e-6));
  // 50 %: loss = 1e6 * (0.009 + 0.0165 + 0.00075) = 26250 W; eta = 500 000 / 526 250 = 0.9501188
  CHECK(ups_loss_w(u, 5.0e5) == doctest::Approx(26250.0).epsilon(1e-9));
  CHECK(ups_efficiency(u, 5.0e5) == doctest::Approx(0.9501188).epsilon(1e-6));
  // 100 %: loss = 1e6 * 0.045 = 45000 W; eta = 1 / 1.045 = 0.9569378
  CHECK(ups_loss_w(u, 1.0e6) == doctest::Approx(45000.0).epsilon(1e-9));
  CHECK(ups_efficiency(u, 1.0e6) == doctest::Approx(0.9569378).epsilon(1e-6));
  // 0 %: no-load loss 9000 W, efficiency defined as 0
  CHECK(ups_loss_w(u, 0.0) == doctest::Approx(9000.0).epsilon(1e-12));
  CHECK(ups_efficiency(u, 0.0) == 0.0);
}

TEST_CASE("ups: arbitrary coefficients") {
  // 500 kW, a0 = 0.02, a1 = 0.01, a2 = 0.02 at 250 kW: x = 0.5
  // loss = 500 000 * (0.02 + 0.005 + 0.005) = 15 000 W
  const UpsParams u{5.0e5, 0.02, 0.01, 0.02};
  CHECK(ups_loss_w(u, 2.5e5) == doctest::Approx(15000.0).epsilon(1e-12));
}

TEST_CASE("ups: legacy loss increases and efficiency rises with load up to rated") {
  const UpsParams u = ups_legacy_wp108(1.0e6);
  for (int i = 1; i <= 100; ++i) {
    CHECK(ups_loss_w(u, i * 1.0e4) > ups_loss_w(u, (i - 1) * 1.0e4));
    // efficiency peaks at x = sqrt(a0/a2) = 1.73 > 1, so it rises over the whole range
    CHECK(ups_efficiency(u, i * 1.0e4) > ups_efficiency(u, (i - 1) * 1.0e4));
  }
}

TEST_CASE("ups: eco mode by hand and against double conversion") {
  UpsParams eco = ups_legacy_wp108(1.0e6);
  eco.mode = UpsMode::Eco;
  eco.eco_loss_frac = 0.01;     // test values
  eco.eco_standby_share = 0.5;
  // 30 %: loss = 0.01 * 300 000 + 9000 * 0.5 = 3000 + 4500 = 7500 W; eta = 300 000/307 500 = 0.9756098
  CHECK(ups_loss_w(eco, 3.0e5) == doctest::Approx(7500.0).epsilon(1e-12));
  CHECK(ups_efficiency(eco, 3.0e5) == doctest::Approx(0.9756098).epsilon(1e-6));
  // 0 %: standby only, 4500 W
  CHECK(ups_loss_w(eco, 0.0) == doctest::Approx(4500.0).epsilon(1e-12));
  const UpsParams dc = ups_legacy_wp108(1.0e6);
  for (int i = 1; i <= 10; ++i) {
    const double p = i * 1.0e5;
    CHECK(ups_loss_w(eco, p) < ups_loss_w(dc, p));
    CHECK(ups_efficiency(eco, p) > ups_efficiency(dc, p));
  }
}
