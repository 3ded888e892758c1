// Hand-computed responses of the PERC1-structured load model (models/grid/perc1.h), dt = 1 ms.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "models/grid/perc1.h"

using dctwin::grid::Perc1Params;
using dctwin::grid::perc1_power_pu;

namespace {
// n0 samples at 1 p.u., n1 at `level`, n2 at 1 p.u.
std::vector<double> sag(int n0, int n1, int n2, double level) {
  std::vector<double> v(static_cast<std::size_t>(n0), 1.0);
  v.insert(v.end(), static_cast<std::size_t>(n1), level);
  v.insert(v.end(), static_cast<std::size_t>(n2), 1.0);
  return v;
}
}  // namespace

TEST_CASE("PERC1: a sag below Vcease ceases Fcease, then reconnects to 1 - Fcease + Frecon*Fcease") {
  Perc1Params p;
  p.fcease = 0.6, p.frecon = 0.5, p.vcease_pu = 0.7, p.vrecon_pu = 0.9;
  p.trecon_s = 0.010, p.tramp_s = 0.020;
  const auto y = perc1_power_pu(p, sag(5, 10, 60, 0.5), 1e-3);
  for (int k = 0; k < 5; ++k) CHECK(y[static_cast<std::size_t>(k)] == doctest::Approx(1.0));
  for (int k = 5; k < 15; ++k) CHECK(y[static_cast<std::size_t>(k)] == doctest::Approx(0.4));  // 1 - 0.6
  // Recovery starts at sample 15 (s = 0): nothing for Trecon = 10 ms, then a 20 ms linear ramp.
  CHECK(y[15] == doctest::Approx(0.4));
  CHECK(y[25] == doctest::Approx(0.4));
  CHECK(y[35] == doctest::Approx(0.4 + 0.3 * 0.5));  // s = 20 ms: half the ramp
  CHECK(y[74] == doctest::Approx(0.7));               // 1 - 0.6 + 0.5 * 0.6
  CHECK(y[50] == doctest::Approx(0.7));
}

TEST_CASE("PERC1: a sag above Vcease gives only the washout transient") {
  Perc1Params p;
  p.fcease = 1.0, p.vcease_pu = 0.7, p.vrecon_pu = 0.9, p.kvp = 0.5, p.tvp = 0.1;
  const auto y = perc1_power_pu(p, sag(5, 400, 2000, 0.8), 1e-3);
  CHECK(y[0] == doctest::Approx(1.0));
  // P = 1 + Kvp (v - w), w -> v with Tvp: 1 - 0.5 * 0.2 * exp(-(k - 5) dt / Tvp)
  CHECK(y[5] == doctest::Approx(0.9));
  CHECK(y[105] == doctest::Approx(1 - 0.1 * std::exp(-1.0)));
  CHECK(y[404] == doctest::Approx(1 - 0.1 * std::exp(-3.99)));
  // Back at 1 p.u.: the washout overshoots, then decays to 1; nothing ceased.
  CHECK(y[405] > 1.0);
  CHECK(y.back() == doctest::Approx(1.0).epsilon(1e-6));
}

TEST_CASE("PERC1: the lead/lag shapes the cease step, and zero voltage draws nothing") {
  Perc1Params p;
  p.fcease = 0.6, p.frecon = 1.0, p.vcease_pu = 0.7, p.vrecon_pu = 0.9, p.trecon_s = 1.0;
  p.tap = 0.05, p.tbp = 0.1;
  const auto y = perc1_power_pu(p, sag(5, 300, 10, 0.5), 1e-3);
  // y = (Tap/Tbp) u + (1 - Tap/Tbp) z, z lags u (1 -> 0.4) with Tbp: 0.4 + 0.3 exp(-m dt / Tbp)
  CHECK(y[5] == doctest::Approx(0.7));
  CHECK(y[105] == doctest::Approx(0.4 + 0.3 * std::exp(-1.0)));
  Perc1Params q;  // neutral load: nothing ceases, but at 0 V no power flows
  const auto z = perc1_power_pu(q, sag(2, 3, 2, 0.0), 1e-3);
  CHECK(z[1] == 1.0);
  CHECK(z[2] == 0.0);
  CHECK(z[4] == 0.0);
  CHECK(z[5] == 1.0);
}

TEST_CASE("PERC1: Tcease lets short sags pass, and the frequency deadbands cease the load") {
  Perc1Params p;
  p.fcease = 1.0, p.vcease_pu = 0.7, p.vrecon_pu = 0.7, p.tcease_s = 0.0035, p.trecon_s = 0.5;
  CHECK(perc1_power_pu(p, sag(2, 3, 5, 0.5), 1e-3).back() == doctest::Approx(1.0));  // 3 ms <= 3.5 ms
  const auto y = perc1_power_pu(p, sag(2, 4, 5, 0.5), 1e-3);                        // 4 ms > 3.5 ms
  CHECK(y[4] == doctest::Approx(1.0));
  CHECK(y[5] == doctest::Approx(0.0));  // ceases at the 4th low sample
  CHECK(y.back() == doctest::Approx(0.0));
  Perc1Params f;
  f.fcease = 0.5, f.dbfl_hz = 0.5, f.dbfh_hz = 1.0, f.trecon_s = 10;
  const std::vector<double> v(6, 1.0);
  CHECK(perc1_power_pu(f, v, 1e-3, {0, -0.4, 0.9, 0, 0, 0}).back() == doctest::Approx(1.0));  // inside the band
  CHECK(perc1_power_pu(f, v, 1e-3, {0, -0.6, 0, 0, 0, 0}).back() == doctest::Approx(0.5));    // below -Dbfl
  CHECK(perc1_power_pu(f, v, 1e-3, {0, 1.1, 0, 0, 0, 0}).back() == doctest::Approx(0.5));     // above Dbfh
}
