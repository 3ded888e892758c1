// Numeric tests of the report's figures on hand-built series: demand intervals, load factor,
// ramp maxima, Welch PSD peak frequency and in-band share, load-duration curve, decimation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "viz/demand.h"

using namespace dctwin::viz;

TEST_CASE("report demand: interval means and peaks by hand") {
  // 0.5 s samples: 10, 20, 30, 40, 50, 60, 70 MW -> 1 s means 15, 35, 55 (70 left out: incomplete)
  const std::vector<double> x = {10, 20, 30, 40, 50, 60, 70};
  const auto m = interval_means(x, 0.5, 1.0);
  REQUIRE(m.size() == 3);
  CHECK(m[0] == doctest::Approx(15));
  CHECK(m[1] == doctest::Approx(35));
  CHECK(m[2] == doctest::Approx(55));
  const auto p = peak_demand(x, 0.5, 1.0);
  REQUIRE(p);
  CHECK(p->value == doctest::Approx(55));
  CHECK(p->t_s == doctest::Approx(2.0));
  CHECK(p->count == 3);
  // 1.5 s: two complete intervals (10, 20, 30) -> 20 and (40, 50, 60) -> 50
  CHECK(peak_demand(x, 0.5, 1.5)->value == doctest::Approx(50));
  CHECK(peak_demand(x, 0.5, 1.5)->count == 2);
  // Longer than the series, or not a multiple of the step: no demand figure, not a made-up one.
  CHECK_FALSE(peak_demand(x, 0.5, 10.0));
  CHECK_FALSE(peak_demand(x, 0.5, 0.7));
  CHECK(samples_per_interval(0.1, 900) == 9000u);
  CHECK_FALSE(samples_per_interval(0.3, 1.0));
}

TEST_CASE("report demand: a 15-minute peak from a 100 ms series") {
  // 1 h at 100 ms: 10 MW, except 20 MW during the second quarter hour's first 90 s.
  const double dt = 0.1;
  std::vector<double> x(36000, 10.0);
  for (std::size_t i = 9000; i < 9900; ++i) x[i] = 20.0;
  const auto p15 = peak_demand(x, dt, 900);
  REQUIRE(p15);
  CHECK(p15->count == 4);
  CHECK(p15->t_s == doctest::Approx(900));
  CHECK(p15->value == doctest::Approx(10 + 10 * 90.0 / 900));  // 11 MW
  CHECK(peak_demand(x, dt, 1)->value == doctest::Approx(20));
  CHECK(peak_demand(x, dt, 0.1)->value == doctest::Approx(20));
  // Load factor: mean / peak at the billing interval.
  const double mu = mean(x);
  CHECK(mu == doctest::Approx(10 + 10 * 90.0 / 3600));  // 10.25 MW
  CHECK(*load_factor(mu, p15->value) == doctest::Approx(10.25 / 11));
  CHECK(*load_factor(mu, 20.0) == doctest::Approx(10.25 / 20));
  CHECK_FALSE(load_factor(mu, 0.0));
}

TEST_CASE("report demand: ramp maxima at several intervals") {
  // 0.1 s: 0 for 1 s, a linear rise of 5 MW over 1 s, then a drop of 8 MW in one sample.
  std::vector<double> x;
  for (int i = 0; i < 10; ++i) x.push_back(0);
  for (int i = 1; i <= 10; ++i) x.push_back(0.5 * i);  // 0.5 MW per 0.1 s = 5 MW/s
  for (int i = 0; i < 10; ++i) x.push_back(-3);         // 5 -> -3: 8 MW in 0.1 s = 80 MW/s
  const auto e = ramp_extremes(x, 0.1, 0.1);
  REQUIRE(e);
  CHECK(e->max_up == doctest::Approx(5.0));
  CHECK(e->max_down == doctest::Approx(80.0));
  CHECK(e->t_up_s == doctest::Approx(1.0));
  CHECK(e->t_down_s == doctest::Approx(2.0));
  // 1 s means: 0, 2.75, -3 -> +2.75 MW/s, -5.75 MW/s
  const auto e1 = ramp_extremes(x, 0.1, 1.0);
  REQUIRE(e1);
  CHECK(e1->max_up == doctest::Approx(2.75));
  CHECK(e1->max_down == doctest::Approx(5.75));
  CHECK(ramp_rates(x, 0.1, 1.0).size() == 2);
  CHECK_FALSE(ramp_extremes(x, 0.1, 3.0));  // one interval: no ramp
}

TEST_CASE("report demand: Welch PSD finds a sine's frequency and its variance") {
  // 10 MW + 2 MW sine at 0.4 Hz (a 2.5 s training step), 100 ms samples, 1 h.
  const double dt = 0.1, f0 = 0.4, a = 2.0;
  std::vector<double> x(36000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 10 + a * std::sin(2 * std::numbers::pi * f0 * static_cast<double>(i) * dt);
  const Psd p = welch_psd(x, dt, welch_segment_for(x.size(), dt, 0.1));
  REQUIRE(p.segments > 10);
  CHECK(p.segment == 2048);
  CHECK(p.f_hz.back() == doctest::Approx(5.0));  // Nyquist
  CHECK(std::abs(*psd_peak_hz(p) - f0) <= p.df_hz);
  // Parseval: the PSD integral is the variance a^2 / 2 (Hann window, periodic segments).
  CHECK(psd_rms(p) == doctest::Approx(a / std::sqrt(2.0)).epsilon(0.02));
  CHECK(*band_share(p, 0.1, 20) == doctest::Approx(1.0).epsilon(1e-3));
  CHECK(*band_share(p, 1.0, 20) < 1e-3);
}

TEST_CASE("report demand: in-band share of two oscillations") {
  // Variance 1 at 0.02 Hz (below a 0.1 Hz band) and variance 3 at 1 Hz (inside): share 3/4.
  const double dt = 0.1;
  std::vector<double> x(72000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) * dt;
    x[i] = std::sqrt(2.0) * std::sin(2 * std::numbers::pi * 0.02 * t) + std::sqrt(6.0) * std::sin(2 * std::numbers::pi * 1.0 * t);
  }
  const Psd p = welch_psd(x, dt, welch_segment_for(x.size(), dt, 0.01));
  CHECK(*band_share(p, 0.1, 20) == doctest::Approx(0.75).epsilon(0.02));
  CHECK(*psd_peak_hz(p) == doctest::Approx(1.0).epsilon(0.01));
  // A constant series has no variation: no share, no peak.
  const Psd flat = welch_psd(std::vector<double>(1000, 5.0), dt, 256);
  CHECK_FALSE(band_share(flat, 0.1, 20));
  CHECK_FALSE(psd_peak_hz(flat));
  CHECK(welch_psd(std::vector<double>(5, 1.0), dt, 256).density.empty());
}

TEST_CASE("report demand: load-duration curve and histogram") {
  const std::vector<double> x = {3, 1, 4, 1, 5, 9, 2, 6};
  const Curve c = load_duration_curve(x, 100);
  REQUIRE(c.y.size() == 8);
  CHECK(c.y.front() == 9);
  CHECK(c.y.back() == 1);
  CHECK(c.x.front() == doctest::Approx(12.5));
  CHECK(c.x.back() == doctest::Approx(100));
  for (std::size_t i = 1; i < c.y.size(); ++i) CHECK(c.y[i] <= c.y[i - 1]);
  const Histogram h = histogram({0, 0, 0, 1, 10}, 10);
  REQUIRE(h.count.size() == 10);
  CHECK(h.count[0] == 3);
  CHECK(h.count[1] == 1);
  CHECK(h.count[9] == 1);
  CHECK(h.width == doctest::Approx(1.0));
}

TEST_CASE("report demand: min/max decimation keeps every extreme in time order") {
  std::vector<double> x(100000, 1.0);
  x[12345] = 50;   // a spike
  x[67890] = -20;  // a dip
  const Decimated d = minmax_decimate(x, 0.0, 0.1, 1000);
  CHECK(d.v.size() <= 2000);
  CHECK(*std::max_element(d.v.begin(), d.v.end()) == 50);
  CHECK(*std::min_element(d.v.begin(), d.v.end()) == -20);
  for (std::size_t i = 1; i < d.t.size(); ++i) CHECK(d.t[i] > d.t[i - 1]);
  const auto spike = std::find(d.v.begin(), d.v.end(), 50.0) - d.v.begin();
  CHECK(d.t[static_cast<std::size_t>(spike)] == doctest::Approx(1234.5));
  // Short series are kept whole.
  const Decimated whole = minmax_decimate(std::vector<double>(10, 2.0), 5.0, 1.0, 1000);
  CHECK(whole.v.size() == 10);
  CHECK(whole.t[3] == doctest::Approx(8.0));
}

TEST_CASE("report demand: sample steps and the largest of them") {
  const std::vector<double> x = {1, 3, 3, -2, 3};
  const auto steps = sample_steps(x);
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].k == 1);
  CHECK(steps[0].delta == 2);
  CHECK(steps[2].delta == -5);
  const Step big = largest_step(steps);  // -5 at k = 3 and +5 at k = 4: the first
  CHECK(big.k == 3);
  CHECK(big.delta == -5);
  CHECK(largest_step(sample_steps({2, 2, 2})).k == 0);  // nothing changes
  CHECK(largest_step(sample_steps({2, 2, 2})).delta == 0);
  CHECK(sample_steps({}).empty());
}

TEST_CASE("report demand: peaks and energy per period, the last one partial") {
  // 1 s samples, periods of 4 s with 2 s intervals: 10 samples = 4 + 4 + 2 (partial).
  const std::vector<double> x = {1, 1, 3, 5, 2, 2, 2, 2, 6, 8};
  const auto p = period_demands(x, 1.0, 4.0, 2.0);
  REQUIRE(p.size() == 3);
  CHECK(p[0].samples == 4);
  CHECK_FALSE(p[0].partial);
  REQUIRE(p[0].peak);
  CHECK(p[0].peak->value == 4);  // (3 + 5) / 2
  CHECK(p[0].peak->t_s == 2);
  CHECK(p[0].energy == doctest::Approx(10.0 / 3600));  // 2.5 mean * 4 samples * 1 s / 3600
  CHECK(p[1].peak->value == 2);
  CHECK(p[2].partial);
  CHECK(p[2].samples == 2);
  CHECK(p[2].peak->value == 7);
  // A period shorter than its interval has no peak; a period under one sample, no periods.
  CHECK_FALSE(period_demands(x, 1.0, 4.0, 8.0)[0].peak);
  CHECK(period_demands(x, 1.0, 0.2, 1.0).empty());
}

TEST_CASE("report demand: envelope columns hold the min, mean and max of their samples") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // 7 samples at 0.5 s from t = 10 s into 3 columns of samples [0, 2), [2, 4), [4, 7).
  const std::vector<double> x = {1, 5, 3, nan, 2, 8, 4};
  const Envelope e = envelope(x, 10.0, 0.5, 3);
  REQUIRE(e.t.size() == 3);
  CHECK(e.t[0] == doctest::Approx(10.0));
  CHECK(e.t[1] == doctest::Approx(11.0));
  CHECK(e.t[2] == doctest::Approx(12.0));
  CHECK(e.t_end == doctest::Approx(13.5));
  CHECK(e.min[0] == 1);
  CHECK(e.mean[0] == doctest::Approx(3));
  CHECK(e.max[0] == 5);
  CHECK(e.min[1] == 3);  // the gap is left out, not read as 0
  CHECK(e.mean[1] == doctest::Approx(3));
  CHECK(e.max[1] == 3);
  CHECK(e.min[2] == 2);
  CHECK(e.mean[2] == doctest::Approx(14.0 / 3));
  CHECK(e.max[2] == 8);
  // A column of gaps only is a gap.
  const Envelope g = envelope({nan, nan, 4, 6}, 0, 1, 2);
  CHECK(std::isnan(g.min[0]));
  CHECK(std::isnan(g.mean[0]));
  CHECK(g.mean[1] == doctest::Approx(5));
  // No more samples than columns: one column per sample.
  const Envelope whole = envelope({2, 7}, 0, 1, 10);
  REQUIRE(whole.t.size() == 2);
  CHECK(whole.min[1] == 7);
  CHECK(whole.mean[1] == 7);
  CHECK(whole.max[1] == 7);
  CHECK(envelope({}, 0, 1, 10).t.empty());
  // A square wave of 18 and 8 MW: every column's band spans both levels, its mean is the duty's mean.
  std::vector<double> sq(25000);
  for (std::size_t i = 0; i < sq.size(); ++i) sq[i] = (i % 25) < 18 ? 18.0 : 8.0;
  const Envelope w = envelope(sq, 0, 0.1, 100);  // 250 samples (10 periods) per column
  REQUIRE(w.t.size() == 100);
  for (std::size_t b = 0; b < w.t.size(); ++b) {
    CHECK(w.min[b] == 8);
    CHECK(w.max[b] == 18);
    CHECK(w.mean[b] == doctest::Approx(15.2));
  }
}

TEST_CASE("report demand: excursions above a limit, counted and timed") {
  // Runs above 4: {5, 6} from k = 1, {7} at k = 4, {9} at k = 8; 4 itself is not above.
  const std::vector<double> x = {1, 5, 6, 1, 7, 4, 1, 1, 9, 4};
  const Excursions e = excursions_above(x, 4.0, 100.0, 0.5);
  CHECK(e.count == 3);
  CHECK(e.samples == 4);
  CHECK(e.share == doctest::Approx(0.4));
  CHECK(e.longest_s == doctest::Approx(1.0));
  CHECK(e.first_t_s == doctest::Approx(100.5));
  const Excursions none = excursions_above(x, 9.0, 0, 1);
  CHECK(none.count == 0);
  CHECK(none.share == 0);
  // A run that lasts to the end of the series is counted.
  CHECK(excursions_above({1, 5, 5}, 2, 0, 1).count == 1);
  CHECK(excursions_above({1, 5, 5}, 2, 0, 1).longest_s == doctest::Approx(2));
}
