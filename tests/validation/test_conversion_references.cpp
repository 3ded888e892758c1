// Conversion models against the public figures in docs/references.md ("Power conversion").
#include <doctest/doctest.h>

#include <cmath>

#include "models/power/psu.h"
#include "models/power/ups.h"

using namespace dctwin::power;

TEST_CASE("validation: 80 PLUS Titanium 230 V internal redundant curve points") {
  // Source: 80 PLUS program, Titanium, 230 V internal redundant: 90 / 94 / 96 / 91 % at
  // 10 / 20 / 50 / 100 % load.
  const PsuParams p{2000.0, psu_curve_80plus_titanium_230v()};
  REQUIRE(p.curve.size() == 4);
  CHECK(psu_curve_problem(p.curve).empty());
  CHECK(psu_efficiency(p, 200.0) == doctest::Approx(0.90).epsilon(1e-12));
  CHECK(psu_efficiency(p, 400.0) == doctest::Approx(0.94).epsilon(1e-12));
  CHECK(psu_efficiency(p, 1000.0) == doctest::Approx(0.96).epsilon(1e-12));
  CHECK(psu_efficiency(p, 2000.0) == doctest::Approx(0.91).epsilon(1e-12));
}

TEST_CASE("validation: legacy-wp108 double-conversion UPS in 94-96 % from 30 to 100 % load") {
  // Source: Schneider Electric white paper 108; LBNL UPS study: double conversion ~94-96 %.
  // Compared at the precision of the published figure, one decimal of a percent: at 30 % load the
  // legacy curve gives 93.994 %, which is 94.0 %.
  const UpsParams u = ups_legacy_wp108(1.0e6);
  for (int pct = 30; pct <= 100; ++pct) {
    const double eta_pct = std::round(ups_efficiency(u, pct * 1.0e4) * 1000.0) / 10.0;
    CAPTURE(pct);
    CHECK(eta_pct >= 94.0);
    CHECK(eta_pct <= 96.0);
  }
}

TEST_CASE("validation: no-load loss is over 40 % of UPS losses at 30 % load") {
  // Source: Schneider Electric white paper 108 / LBNL: no-load losses are over 40 % of losses at
  // typical load; 2N systems run at 20-40 % load.
  // Hand: no-load 9000 W of 19170 W total = 46.9 % (legacy-wp108 curve).
  const UpsParams u = ups_legacy_wp108(1.0e6);
  const double no_load_w = u.no_load_loss_frac * u.rated_w;
  const double share = no_load_w / ups_loss_w(u, 3.0e5);
  CHECK(share == doctest::Approx(0.469484).epsilon(1e-5));
  CHECK(share > 0.40);
}

TEST_CASE("validation: default (high-efficiency-vfi) UPS at 96.5-97.0 % from 25 to 100 % load") {
  // Target: current transformerless double-conversion units, "up to 97 %" (Schneider Galaxy VS/VX
  // literature), ~96.5-97 % at the 30-50 % loads of 2N halls. Compared at one decimal of a percent:
  // 25 % load gives 96.525 % (96.5), 50 % gives 96.993 % (97.0), 100 % gives 96.805 % (96.8).
  const UpsParams u = ups_default_double_conversion(1.0e6);
  for (int pct = 25; pct <= 100; ++pct) {
    const double eta_pct = std::round(ups_efficiency(u, pct * 1.0e4) * 1000.0) / 10.0;
    CAPTURE(pct);
    CHECK(eta_pct >= 96.5);
    CHECK(eta_pct <= 97.0);
  }
}
