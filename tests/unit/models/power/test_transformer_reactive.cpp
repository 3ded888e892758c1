// Transformer reactive power against hand-computed values (models/power/transformer_reactive.h).
#include <doctest/doctest.h>

#include <cmath>

#include "models/power/converter_power_factor.h"
#include "models/power/power_factor.h"
#include "models/power/transformer_reactive.h"

using namespace dctwin::power;

TEST_CASE("transformer reactive: magnetising plus leakage, by hand") {
  // 2500 kVA, i0 1 %, z 5.75 %, X/R 6: Q_m = 25 kvar; x_pu = 0.0575 * 6 / sqrt(37) = 0.0567175.
  const TransformerReactiveParams p = transformer_reactive_default(2500);
  CHECK(transformer_magnetising_var(p) == doctest::Approx(25000));
  // Full load: Q_l = x_pu * 2.5 MVA = 141.794 kvar; half load: a quarter of it.
  CHECK(transformer_leakage_var(p, 2.5e6) == doctest::Approx(0.0575 * 6 / std::sqrt(37.0) * 2.5e6).epsilon(1e-12));
  CHECK(transformer_leakage_var(p, 2.5e6) == doctest::Approx(141794.13).epsilon(1e-6));
  CHECK(transformer_leakage_var(p, 1.25e6) == doctest::Approx(141794.13 / 4).epsilon(1e-6));
  CHECK(transformer_reactive_var(p, 0) == doctest::Approx(25000));
  CHECK(transformer_reactive_var(p, 2.5e6) == doctest::Approx(166794.13).epsilon(1e-6));
  // X/R large: almost all of z is reactance.
  TransformerReactiveParams q{1000, 0, 6, 1000};
  CHECK(transformer_leakage_var(q, 1e6) == doctest::Approx(60000).epsilon(1e-5));
}

TEST_CASE("converter front ends: Q from their power factors, by hand") {
  // tan(acos 0.98) = sqrt(1 - 0.9604) / 0.98 = 0.2030587; tan(acos 0.95) = 0.3286841.
  CHECK(reactive_power_var(1e6, kUpsRectifierPowerFactor) == doctest::Approx(203058.7).epsilon(1e-6));
  CHECK(reactive_power_var(1e6, kDrivePowerFactor) == doctest::Approx(328684.1).epsilon(1e-6));
}
