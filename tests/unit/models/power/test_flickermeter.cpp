// The flickermeter against the published test points of IEC 61000-4-15 Ed. 2.0 (2010):
// Table 5 (rectangular fluctuations giving Pst = 1.00 +- 5 %), Tables 1a and 2a (sinusoidal and
// rectangular fluctuations giving a maximum P_inst of 1.00 +- 8 %). The values are the standard's as
// transcribed in the public verification script of CMI (github.com/qwtb/qwtb,
// qwtb/alg_flicker_sim/verify_flicker_sim.m, edition 2).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "models/power/flickermeter.h"

using namespace dctwin::power;

namespace {

// An RMS series of rectangular fluctuations: 1 - d/2 until t0, then a change every 60/cpm s.
FlickerSeverity rectangular(double cpm, double dvv_pct, int line_hz, double record_s = 600) {
  std::vector<double> t{0}, v;
  const double d = dvv_pct / 100, half = 60.0 / cpm;
  v.push_back(1 - d / 2);
  int sign = 1;
  for (double tc = 0.5; tc < record_s; tc += half) {
    t.push_back(tc);
    v.push_back(1 + sign * d / 2);
    sign = -sign;
  }
  t.push_back(record_s);
  v.push_back(v.back());
  return flicker_of_rms_series(t, v, line_hz);
}

// The largest P_inst in steady state (after 60 s of 120 s) for a fluctuation of dV/V at f_hz.
double pinst_max(double f_hz, double dvv_pct, bool square, int line_hz) {
  FlickerChain chain(line_hz, 1.0);
  const double d = dvv_pct / 100;
  double mx = 0;
  for (long k = 0; k < static_cast<long>(120 * kFlickerSampleHz); ++k) {
    const double t = static_cast<double>(k) / kFlickerSampleHz;
    const double s = std::sin(2 * std::numbers::pi * f_hz * t);
    const double p = chain.step(1 + d / 2 * (square ? (s >= 0 ? 1 : -1) : s));
    if (t > 60) mx = std::max(mx, p);
  }
  return mx;
}

}  // namespace

TEST_CASE("flickermeter: IEC 61000-4-15 Table 5, 230 V lamp, 50 Hz line: Pst = 1 +- 5 %") {
  const double cpm[] = {1, 2, 7, 39, 110, 1620, 4000};
  const double dvv[] = {2.715, 2.191, 1.450, 0.894, 0.722, 0.407, 2.343};
  for (int i = 0; i < 7; ++i) {
    const FlickerSeverity r = rectangular(cpm[i], dvv[i], 50);
    REQUIRE(r.pst.size() == 1);
    INFO("cpm " << cpm[i] << " dV/V " << dvv[i] << " % Pst " << r.pst[0]);
    CHECK(r.pst[0] == doctest::Approx(1.0).epsilon(0.05));
  }
}

TEST_CASE("flickermeter: IEC 61000-4-15 Table 5, 120 V lamp, 60 Hz line: Pst = 1 +- 5 %") {
  const double cpm[] = {1, 2, 7, 39, 110, 1620, 4800};
  const double dvv[] = {3.181, 2.564, 1.694, 1.040, 0.844, 0.548, 4.837};
  for (int i = 0; i < 7; ++i) {
    const FlickerSeverity r = rectangular(cpm[i], dvv[i], 60);
    REQUIRE(r.pst.size() == 1);
    INFO("cpm " << cpm[i] << " dV/V " << dvv[i] << " % Pst " << r.pst[0]);
    CHECK(r.pst[0] == doctest::Approx(1.0).epsilon(0.05));
  }
}

TEST_CASE("flickermeter: Pst scales with the fluctuation, and the lamps differ") {
  // Pst is proportional to dV/V (P_inst to its square): 10 % more fluctuation is 10 % more Pst,
  // outside the +-5 % band, so a meter off by that much fails Table 5.
  const double base = rectangular(110, 0.722, 50).pst[0];
  CHECK(rectangular(110, 0.722 * 1.1, 50).pst[0] / base == doctest::Approx(1.1).epsilon(0.01));
  // The 120 V lamp is less sensitive: the 230 V lamp's Table 5 point at 110 changes per minute
  // (0.722 %) gives about 0.722 / 0.844 on it (0.844 %: its own Table 5 point).
  CHECK(rectangular(110, 0.722, 60).pst[0] == doctest::Approx(0.722 / 0.844).epsilon(0.05));
}

TEST_CASE("flickermeter: IEC 61000-4-15 Tables 1a and 2a, maximum P_inst = 1 +- 8 %") {
  // Sinusoidal (Table 1a) at 1, 5 and 20 Hz; rectangular (Table 2a) at 0.5, 8.8 and 20 Hz.
  CHECK(pinst_max(1.0, 1.397, false, 50) == doctest::Approx(1.0).epsilon(0.08));
  CHECK(pinst_max(5.0, 0.396, false, 50) == doctest::Approx(1.0).epsilon(0.08));
  CHECK(pinst_max(20.0, 0.704, false, 50) == doctest::Approx(1.0).epsilon(0.08));
  CHECK(pinst_max(0.5, 0.509, true, 50) == doctest::Approx(1.0).epsilon(0.08));
  CHECK(pinst_max(8.8, 0.196, true, 50) == doctest::Approx(1.0).epsilon(0.08));
  CHECK(pinst_max(20.0, 0.553, true, 50) == doctest::Approx(1.0).epsilon(0.08));
}

TEST_CASE("flickermeter: statistics by hand") {
  // A constant P_inst: every percentile equals it, Pst = sqrt(0.5096 P).
  std::vector<double> p(1000, 2.0);
  CHECK(short_term_severity(p) == doctest::Approx(std::sqrt(0.5096 * 2.0)).epsilon(1e-12));
  // 0..999: P_x = 999 (1 - x/100) exactly (linear between order statistics).
  std::vector<double> ramp(1000);
  for (int i = 0; i < 1000; ++i) ramp[static_cast<std::size_t>(i)] = i;
  std::reverse(ramp.begin(), ramp.end());
  auto P = [](double x) { return 999 * (1 - x / 100); };
  const double want = 0.0314 * P(0.1) + 0.0525 * (P(0.7) + P(1) + P(1.5)) / 3 + 0.0657 * (P(2.2) + P(3) + P(4)) / 3 +
                      0.28 * (P(6) + P(8) + P(10) + P(13) + P(17)) / 5 + 0.08 * (P(30) + P(50) + P(80)) / 3;
  CHECK(short_term_severity(ramp) == doctest::Approx(std::sqrt(want)).epsilon(1e-12));
  // Plt: cube root of the mean cube.
  std::vector<double> pst(12, 0.5);
  pst[3] = 2.0;
  CHECK(long_term_severity(pst) == doctest::Approx(std::cbrt((11 * 0.125 + 8.0) / 12)).epsilon(1e-12));
  CHECK(std::isnan(long_term_severity({})));
}

TEST_CASE("flickermeter: intervals, Plt blocks and a steady voltage") {
  // 2 h 5 min of a steady voltage: 12 complete intervals, one Plt, no flicker, any unit.
  const FlickerSeverity r = flicker_of_rms_series({0, 7500}, {13800, 13800}, 60);
  CHECK(r.pst.size() == 12);
  REQUIRE(r.plt.size() == 1);
  CHECK(r.plt[0] == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(*std::max_element(r.pst.begin(), r.pst.end()) < 1e-9);
  CHECK(r.v_ref == doctest::Approx(13800));
  // Under 10 minutes: no Pst.
  CHECK(flicker_of_rms_series({0, 599}, {1, 1}, 50).pst.empty());
}
