// Each compliance check against hand-made meter series whose answer is known by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "sim/output/compliance_checks.h"

namespace dctwin {

namespace {

MeterSeries series(double dt, std::vector<double> mw) {
  MeterSeries m;
  m.dt_s = dt;
  for (double x : mw) m.p_w.push_back(x * 1e6);
  return m;
}

}  // namespace

TEST_CASE("compliance: ramp between consecutive window means") {
  // 1 s steps: 10 MW for 4 s, then 20 MW for 4 s, then 14 MW. Window 2 s: the means around t = 4
  // are 10 and 20: up (20 - 10) / 2 = 5 MW/s at t = 4; down around t = 8: (14 - 20) / 2 = 3 MW/s.
  const MeterSeries m = series(1, {10, 10, 10, 10, 20, 20, 20, 20, 14, 14, 14, 14});
  const CheckResult up = check_ramp_up(m, {2, 4, 4});
  REQUIRE(up.value);
  CHECK(*up.value == doctest::Approx(5));
  CHECK(*up.at_t_s == doctest::Approx(4));
  CHECK(*up.margin == doctest::Approx(-1));
  CHECK_FALSE(*up.pass);
  CHECK(*up.window_used_s == doctest::Approx(2));
  const CheckResult down = check_ramp_down(m, {2, 4, 4});
  CHECK(*down.value == doctest::Approx(3));
  CHECK(*down.at_t_s == doctest::Approx(8));
  CHECK(*down.pass);
  CHECK(*down.margin == doctest::Approx(1));
  // Too short for two windows: no value, and it says so (never a silent pass).
  const CheckResult short_run = check_ramp_up(m, {10, 4, 4});
  CHECK_FALSE(short_run.value);
  CHECK_FALSE(short_run.pass);
  CHECK(short_run.note.find("needs at least 20") != std::string::npos);
}

TEST_CASE("compliance: step change, dynamic range and demand") {
  const MeterSeries m = series(0.5, {10, 12, 18, 11, 10, 10, 16, 16});
  // Step over 1 s (2 steps): |18 - 10| = 8 at t = 0 ... |10 - 18| = 8 at t = 1: the first is kept.
  const CheckResult step = check_step_change(m, {1.0, 7});
  CHECK(*step.value == doctest::Approx(8));
  CHECK(*step.at_t_s == doctest::Approx(0));
  CHECK_FALSE(*step.pass);
  // Range within 1 s (2 steps): the largest (max - min) of neighbours is |18 - 11| = 7 (t = 1); peak 18.
  const CheckResult range = check_dynamic_range(m, {1.0, 50});
  CHECK(*range.value == doctest::Approx(100.0 * 7 / 18));
  CHECK(*range.at_t_s == doctest::Approx(1.0));
  CHECK(*range.pass);
  // Demand over 1.5 s (3 steps): the largest mean is (10 + 16 + 16) / 3 = 14 at t = 2.5 (the
  // spike 12, 18, 11 at t = 0.5 averages 13.67).
  const CheckResult demand = check_demand(m, {1.5, 13});
  CHECK(*demand.value == doctest::Approx(14));
  CHECK(*demand.at_t_s == doctest::Approx(2.5));
  CHECK(*demand.margin == doctest::Approx(-1));
  // A window between steps is rounded to whole steps and reported.
  CHECK(*check_demand(m, {1.3, 13}).window_used_s == doctest::Approx(1.5));
}

TEST_CASE("compliance: oscillation, the largest component in a band") {
  // 30 MW with a 2 MW tone at 1.3 Hz and a 5 MW tone at 0.05 Hz, interval means at 0.05 s over 200 s.
  const double dt = 0.05, f1 = 1.3, f0 = 0.05;
  std::vector<double> mw;
  for (int k = 0; k < 4000; ++k) {
    // Interval means of the tones over [t, t + dt): sin averages to sinc-damped values.
    auto mean_sin = [&](double f) {
      const double t = k * dt, w = 2 * std::numbers::pi * f;
      return (std::cos(w * t) - std::cos(w * (t + dt))) / (w * dt);
    };
    mw.push_back(30 + 2 * mean_sin(f1) + 5 * mean_sin(f0));
  }
  const MeterSeries m = series(dt, mw);
  const CheckResult c = check_oscillation(m, {0.1, 4.0, 1.5});
  REQUIRE(c.value);
  CHECK(*c.value == doctest::Approx(2.0).epsilon(0.02));  // the 0.05 Hz tone is outside the band
  CHECK_FALSE(*c.pass);
  CHECK(c.where.find("1.3") != std::string::npos);
  // A band above a quarter of the sampling rate cannot be resolved: no value, the step it needs.
  const CheckResult fast = check_oscillation(m, {0.1, 20.0, 1.5});
  CHECK_FALSE(fast.value);
  CHECK(fast.note.find("0.0125") != std::string::npos);
  CHECK(band_resolution_problem({0.1, 20, 1}, 0.0126, 100).has_value());
  CHECK_FALSE(band_resolution_problem({0.1, 20, 1}, 0.0125, 100).has_value());
  CHECK(band_resolution_problem({0.1, 4, 1}, 0.01, 19.9)->find("--duration-s 20") != std::string::npos);
}

TEST_CASE("compliance: power factor is not modelled without Q, and computed with it") {
  MeterSeries m = series(1, {10, 10, 10});
  const CheckResult none = check_power_factor(m, 0.95);
  CHECK_FALSE(none.value);
  CHECK_FALSE(none.pass);
  CHECK(none.note.find("not modelled") == 0);
  m.q_var = std::vector<double>{0, 7.5e6, 1e6};  // PF 1, 0.8, 0.995
  const CheckResult pf = check_power_factor(m, 0.95);
  CHECK(*pf.value == doctest::Approx(0.8));
  CHECK(*pf.at_t_s == doctest::Approx(1));
  CHECK(*pf.margin == doctest::Approx(-0.15));
  CHECK_FALSE(*pf.pass);
}

TEST_CASE("compliance: voltage change at the PCC from P and Q, by hand") {
  // 138 kV, 2000 MVA, X/R 10: dV/V = (dP + 10 dQ) / (2000 MVA sqrt(101)). The largest change is
  // between t = 0 and t = 2: dP = 10 MW, dQ = 2 Mvar: 30 / (2000 * 10.049876) = 0.149256 %.
  MeterSeries m = series(1, {10, 10, 20, 20, 15});
  m.q_var = std::vector<double>{1e6, 1e6, 3e6, 3e6, 2e6};
  CHECK_FALSE(check_voltage_change(m, 3).value);  // no PCC: not evaluated, says so
  CHECK(check_voltage_change(m, 3).note.find("not modelled") == 0);
  MeterPq pq{1, m.p_w, *m.q_var};
  m.pcc = pcc_result(PccSpec{138, 2000, 10}, pq, 50);
  m.pcc_source = "requirements pcc";
  const CheckResult c = check_voltage_change(m, 0.1);
  REQUIRE(c.value);
  CHECK(*c.value == doctest::Approx(0.149256).epsilon(1e-5));
  CHECK(*c.at_t_s == doctest::Approx(2));
  CHECK_FALSE(*c.pass);
  CHECK(*c.margin == doctest::Approx(0.1 - 0.149256).epsilon(1e-4));
  CHECK(c.where.find("requirements pcc") != std::string::npos);
  CHECK(*check_voltage_change(m, 0.2).pass);
}

TEST_CASE("compliance: flicker at the PCC, a Table 5 point made of meter power") {
  // IEC 61000-4-15 Table 5, 230 V lamp: 2 changes a minute of dV/V = 2.191 % give Pst = 1 (+- 5 %).
  // With Q = 0 the voltage moves by dP / (S_sc sqrt(1 + (X/R)^2)): dP = 0.02191 * 2000 MVA * sqrt(101).
  const double dp_mw = 0.02191 * 2000 * std::sqrt(101.0);
  std::vector<double> mw;
  for (int k = 0; k < 660; ++k) mw.push_back(500 + ((k / 30) % 2 ? dp_mw : 0));  // a change every 30 s
  MeterSeries m = series(1, mw);
  m.q_var = std::vector<double>(mw.size(), 0.0);
  MeterPq pq{1, m.p_w, *m.q_var};
  m.pcc = pcc_result(PccSpec{138, 2000, 10}, pq, 50);
  m.pcc_source = "scenario grid.pcc";
  const CheckResult pst = check_flicker_pst(m, 0.8);
  REQUIRE(pst.value);
  CHECK(*pst.value == doctest::Approx(1.0).epsilon(0.05));
  CHECK(*pst.at_t_s == 0);
  CHECK_FALSE(*pst.pass);
  CHECK(*check_flicker_pst(m, 1.2).pass);
  // Half the swing: Pst scales with the fluctuation (about 0.5).
  std::vector<double> half;
  for (double x : mw) half.push_back(500 + (x - 500) / 2);
  MeterSeries mh = series(1, half);
  mh.q_var = std::vector<double>(half.size(), 0.0);
  mh.pcc = pcc_result(PccSpec{138, 2000, 10}, MeterPq{1, mh.p_w, *mh.q_var}, 50);
  CHECK(*check_flicker_pst(mh, 0.8).value == doctest::Approx(0.5 * *pst.value).epsilon(0.02));
  // 660 s holds no 2-hour Plt block: not evaluated, naming the duration it needs.
  const CheckResult plt = check_flicker_plt(m, 0.6);
  CHECK_FALSE(plt.value);
  CHECK_FALSE(plt.pass);
  CHECK(plt.note.find("7200") != std::string::npos);
  // Without a PCC: not modelled, never a pass.
  MeterSeries none = series(1, mw);
  CHECK_FALSE(check_flicker_pst(none, 0.8).pass);
}

TEST_CASE("compliance: the verdict never passes what was not evaluated") {
  Requirements q;
  q.name = "t";
  q.demand = WindowLimit{1, 100};
  q.power_factor_min = 0.9;
  const MeterSeries m = series(1, {10, 10, 10});
  const json j = compliance_json(check_all(m, q), q);
  CHECK(j["pass"] == false);
  CHECK(j["verdict"] == "incomplete");
  CHECK(j["not_evaluated"].size() == 1);
  CHECK(j["checks"][1]["value"].is_null());
  CHECK(j["checks"][1]["note"].get<std::string>().find("not modelled") == 0);
  q.power_factor_min.reset();
  const json ok = compliance_json(check_all(m, q), q);
  CHECK(ok["pass"] == true);
  CHECK(ok["verdict"] == "passes");
  q.demand = WindowLimit{1, 5};
  const json bad = compliance_json(check_all(m, q), q);
  CHECK(bad["pass"] == false);
  CHECK(bad["verdict"] == "fails");
  CHECK(bad["checks"][0]["margin"].get<double>() == doctest::Approx(-5));
}

}  // namespace dctwin
