#include <doctest/doctest.h>

#include <cmath>

#include "models/power/transformer.h"

using namespace dctwin::power;

namespace {
// 2500 kVA, P0 = 2 kW, Pk = 17 kW (test values, not a specific unit).
const TransformerParams kT{2500.0, 2000.0, 17000.0};
}  // namespace

TEST_CASE("transformer: loss at half load, unity power factor") {
  // 1250 kW at pf 1 -> S = 1250 kVA -> S/Sr = 0.5 -> loss = 2000 + 17000 * 0.25 = 6250 W
  CHECK(transformer_loss_w(kT, 1.25e6, 1.0) == doctest::Approx(6250.0).epsilon(1e-12));
  // efficiency = 1 250 000 / 1 256 250 = 0.9950248756
  CHECK(transformer_efficiency(kT, 1.25e6, 1.0) == doctest::Approx(0.9950248756).epsilon(1e-9));
}

TEST_CASE("transformer: power factor raises apparent power and loss") {
  // 1250 kW at pf 0.9 -> S = 1388.889 kVA -> S/Sr = 0.5555556 -> ^2 = 0.3086420
  // loss = 2000 + 17000 * 0.3086420 = 7246.914 W
  CHECK(transformer_loss_w(kT, 1.25e6, 0.9) == doctest::Approx(7246.9136).epsilon(1e-7));
  CHECK(transformer_loss_w(kT, 1.25e6, 0.9) > transformer_loss_w(kT, 1.25e6, 1.0));
}

TEST_CASE("transformer: rated load and zero load") {
  // rated: loss = P0 + Pk = 19000 W; efficiency = 2 500 000 / 2 519 000 = 0.9924573
  CHECK(transformer_loss_w(kT, 2.5e6, 1.0) == doctest::Approx(19000.0).epsilon(1e-12));
  CHECK(transformer_efficiency(kT, 2.5e6, 1.0) == doctest::Approx(0.9924573243).epsilon(1e-9));
  // zero load: core loss only, efficiency defined as 0
  CHECK(transformer_loss_w(kT, 0.0, 1.0) == doctest::Approx(2000.0).epsilon(1e-12));
  CHECK(transformer_efficiency(kT, 0.0, 1.0) == 0.0);
}

TEST_CASE("transformer: overload is computed, not clipped") {
  // 3000 kW at pf 1 -> S/Sr = 1.2 -> loss = 2000 + 17000 * 1.44 = 26480 W
  CHECK(transformer_loss_w(kT, 3.0e6, 1.0) == doctest::Approx(26480.0).epsilon(1e-12));
}

TEST_CASE("transformer: loss increases with load") {
  double previous = transformer_loss_w(kT, 0.0, 1.0);
  for (int i = 1; i <= 120; ++i) {
    const double loss = transformer_loss_w(kT, i * 25.0e3, 1.0);
    CHECK(loss > previous);
    previous = loss;
  }
}

TEST_CASE("transformer: efficiency peaks where winding loss equals core loss") {
  // x* = sqrt(P0/Pk) = sqrt(2000/17000) = 0.3429972; P* = 0.3429972 * 2500 kW = 857.493 kW
  const double p_star = std::sqrt(2000.0 / 17000.0) * 2.5e6;
  CHECK(p_star == doctest::Approx(857493.0).epsilon(1e-6));
  const double eta_star = transformer_efficiency(kT, p_star, 1.0);
  CHECK(eta_star > transformer_efficiency(kT, p_star * 0.9, 1.0));
  CHECK(eta_star > transformer_efficiency(kT, p_star * 1.1, 1.0));
  // at x*, loss = 2 * P0 = 4000 W
  CHECK(transformer_loss_w(kT, p_star, 1.0) == doctest::Approx(4000.0).epsilon(1e-9));
}
