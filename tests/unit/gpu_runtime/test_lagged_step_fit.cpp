// The lagged piecewise-constant signal and its fit with continuous boundary times
// (gpu_runtime/common/lagged_step_fit.h): closed-form values against hand-computed ones, exact
// recovery from noise-free samples, recovery within the noise from noisy ones, bad input refused.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "gpu_runtime/common/lagged_step_fit.h"

using namespace dctwin::gpu;

namespace {

// 100 W until 1 s, 400 W (rising, tau 0.05 s) until 1.1 s, 250 W (falling, tau 0.1 s) to 2 s.
LaggedSteps three_levels() {
  LaggedSteps m;
  m.boundary_s = {0.0, 1.0, 1.1, 2.0};
  m.level_of = {0, 1, 2};
  m.rising = {true, true, false};
  m.level_w = {100, 400, 250};
  m.tau_rise_s = 0.05;
  m.tau_fall_s = 0.1;
  return m;
}

// `steps` training steps after 1 s of idle (75 W): compute (680 W, 1.5 s + 11 ms per step),
// communication (160 W, 0.8 s - 7 ms per step), a 60-ms optimizer phase (420 W); then 2 s of idle.
// Rising lag 0.05 s, falling 0.1 s.
LaggedSteps step_train(int steps) {
  LaggedSteps m;
  m.level_w = {75, 680, 160, 420};
  m.tau_rise_s = 0.05;
  m.tau_fall_s = 0.1;
  m.boundary_s = {0.0};
  m.level_of = {0};
  m.rising = {true};
  double t = 1.0;
  for (int k = 0; k < steps; ++k) {
    const double len[3] = {1.5 + 0.011 * k, 0.8 - 0.007 * k, 0.06};
    for (int j = 0; j < 3; ++j) {
      m.boundary_s.push_back(t);
      m.level_of.push_back(j + 1);
      m.rising.push_back(j != 1);
      t += len[j];
    }
  }
  m.boundary_s.push_back(t);  // idle lead-out
  m.level_of.push_back(0);
  m.rising.push_back(false);
  m.boundary_s.push_back(t + 2.0);
  return m;
}

std::vector<double> grid(double t0, double t1, double dt) {
  std::vector<double> t;
  for (double x = t0; x < t1; x += dt) t.push_back(x);
  return t;
}

}  // namespace

TEST_CASE("lagged steps: values against hand-computed ones") {
  const auto p = lagged_steps_value(three_levels(), {0.5, 1.0, 1.05, 1.1, 1.2});
  // p(0.5) = 100 (settled); p(1.05) = 400 - 300 e^-1 = 289.636; s(1.1) = 400 - 300 e^-2 = 359.399;
  // p(1.2) = 250 + (359.399 - 250) e^-1 = 290.246.
  CHECK(p[0] == doctest::Approx(100.0));
  CHECK(p[1] == doctest::Approx(100.0));
  CHECK(p[2] == doctest::Approx(289.636).epsilon(1e-5));
  CHECK(p[3] == doctest::Approx(359.399).epsilon(1e-5));
  CHECK(p[4] == doctest::Approx(290.246).epsilon(1e-5));
}

TEST_CASE("lagged steps: states at the boundaries, and a given starting state") {
  LaggedSteps m = three_levels();
  // s(0) = s(1) = 100; s(1.1) = 359.399; s(2) = 250 + 109.399 e^-9 = 250.0135.
  const auto st = lagged_steps_states(m);
  REQUIRE(st.size() == 4);
  CHECK(st[0] == doctest::Approx(100.0));
  CHECK(st[1] == doctest::Approx(100.0));
  CHECK(st[2] == doctest::Approx(359.399).epsilon(1e-5));
  CHECK(st[3] == doctest::Approx(250.0135).epsilon(1e-6));
  // Started at 200 W instead of settled: p(0.1) = 100 + 100 e^-2 = 113.534 (segment 0 rising, tau 0.05 s).
  m.start_w = 200;
  CHECK(lagged_steps_value(m, {0.1})[0] == doctest::Approx(113.534).epsilon(1e-5));
  CHECK(lagged_steps_states(m)[0] == 200.0);
}

TEST_CASE("lagged steps fit: noise-free samples, boundaries started 0.3-0.4 sample off, recovered exactly") {
  const LaggedSteps truth = step_train(4);
  const auto ts = grid(0.0071, truth.boundary_s.back(), 0.05);
  const auto y = lagged_steps_value(truth, ts);
  LaggedSteps start = truth;
  // Communication starts 20 ms early, every other boundary 15 ms late (the 60-ms phase moved whole).
  for (std::size_t k = 1; k + 1 < start.boundary_s.size(); ++k) start.boundary_s[k] += k % 3 == 2 ? -0.02 : 0.015;
  start.level_w = {80, 670, 170, 400};
  start.tau_rise_s = 0.065;
  start.tau_fall_s = 0.085;
  const LaggedStepsFit f = fit_lagged_steps(start, ts, y);
  CHECK(f.sse_start_w2 > 1e4);
  CHECK(f.sse_w2 < 1e-8);
  CHECK(f.model.tau_rise_s == doctest::Approx(0.05).epsilon(1e-6));
  CHECK(f.model.tau_fall_s == doctest::Approx(0.1).epsilon(1e-6));
  for (std::size_t k = 1; k + 1 < truth.boundary_s.size(); ++k) CHECK(f.model.boundary_s[k] == doctest::Approx(truth.boundary_s[k]).epsilon(1e-7));
  for (std::size_t q = 0; q < 4; ++q) CHECK(f.model.level_w[q] == doctest::Approx(truth.level_w[q]).epsilon(1e-6));
  // The span is held.
  CHECK(f.model.boundary_s.front() == 0.0);
  CHECK(f.model.boundary_s.back() == truth.boundary_s.back());
}

TEST_CASE("lagged steps fit: noisy samples: residual at the noise, lags and short level recovered") {
  // 20 steps with a 60-ms phase sampled at 20 Hz, noise SD 4 W: the residual RMS is the noise's (within
  // 10 %), the lags within 5 % and the 60-ms phase's level within 3 %.
  const LaggedSteps truth = step_train(20);
  const auto ts = grid(0.013, truth.boundary_s.back(), 0.05);
  std::vector<double> y = lagged_steps_value(truth, ts);
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 4.0);
  for (double& v : y) v += noise(rng);
  LaggedSteps start = truth;
  std::uniform_real_distribution<double> off(-0.02, 0.02);
  for (std::size_t k = 1; k + 1 < start.boundary_s.size(); ++k) start.boundary_s[k] += off(rng);
  start.tau_rise_s = 0.065;
  start.tau_fall_s = 0.09;
  const LaggedStepsFit f = fit_lagged_steps(start, ts, y);
  const double rms = std::sqrt(f.sse_w2 / static_cast<double>(ts.size()));
  MESSAGE("noisy: rms " << rms << " W, tau rise " << f.model.tau_rise_s << " fall " << f.model.tau_fall_s << " s, short level "
                        << f.model.level_w[3] << " W, " << f.iterations << " iterations");
  CHECK(rms == doctest::Approx(4.0).epsilon(0.1));
  CHECK(f.model.tau_rise_s == doctest::Approx(0.05).epsilon(0.05));
  CHECK(f.model.tau_fall_s == doctest::Approx(0.1).epsilon(0.05));
  CHECK(f.model.level_w[3] == doctest::Approx(420).epsilon(0.03));
}

TEST_CASE("lagged steps fit: inconsistent input is refused") {
  LaggedSteps m = three_levels();
  const std::vector<double> ts{0.1, 0.2}, y{1, 2};
  LaggedSteps bad = m;
  bad.boundary_s[2] = 0.9;  // not increasing
  CHECK_THROWS_AS(fit_lagged_steps(bad, ts, y), std::invalid_argument);
  bad = m;
  bad.level_of[1] = 7;
  CHECK_THROWS_AS(lagged_steps_value(bad, ts), std::invalid_argument);
  bad = m;
  bad.tau_fall_s = 0;
  CHECK_THROWS_AS(fit_lagged_steps(bad, ts, y), std::invalid_argument);
  CHECK_THROWS_AS(fit_lagged_steps(m, {0.2, 0.1}, y), std::invalid_argument);
  CHECK_THROWS_AS(fit_lagged_steps(m, ts, {1.0}), std::invalid_argument);
}
