// The PERC1 fit (sim/studies/perc1_fit.h): it reproduces its own simulated events (events made by
// the model with known parameters are fitted back to them, error ~ 0), and the campus's simulated
// ride-through responses are fitted with the error reported.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/input/scenario_loader.h"
#include "sim/studies/perc1_fit.h"
#include "tests/support.h"

using namespace dctwin;

TEST_CASE("PERC1 fit: reproduces its own simulated events") {
  grid::Perc1Params truth;
  truth.fcease = 0.7, truth.frecon = 0.6;
  truth.vcease_pu = 0.5, truth.vrecon_pu = 0.5;
  truth.tcease_s = 0.0025;  // on the search grid: between the 2 ms and 5 ms sags (2.5 ms)
  truth.trecon_s = 2.0, truth.tramp_s = 3.0;
  truth.kvp = 0.2, truth.tvp = 0.3;
  std::vector<Perc1Event> ev;
  const double dt = 1e-3, p0 = 80e6;
  for (double level : {0.0, 0.3, 0.6, 0.9})
    for (int len : {2, 5, 20, 100}) {
      Perc1Event e;
      e.dt_s = dt;
      e.p0_w = p0;
      e.v_pu.assign(500, 1.0);
      e.v_pu.insert(e.v_pu.end(), static_cast<std::size_t>(len), level);
      e.v_pu.insert(e.v_pu.end(), 8000, 1.0);
      for (double y : grid::perc1_power_pu(truth, e.v_pu, dt)) e.p_w.push_back(y * p0);
      ev.push_back(e);
    }
  const Perc1Fit f = fit_perc1(ev, {2});
  CAPTURE(f.fit_error_pct);
  CHECK(f.events == 16);
  CHECK(f.fit_error_pct < 1e-3);
  CHECK(f.params.fcease == doctest::Approx(0.7).epsilon(1e-4));
  CHECK(f.params.frecon == doctest::Approx(0.6).epsilon(1e-4));
  CHECK(f.params.trecon_s == doctest::Approx(2.0).epsilon(1e-3));
  CHECK(f.params.tramp_s == doctest::Approx(3.0).epsilon(1e-3));
  CHECK(f.washout_kept);
  CHECK(f.params.kvp == doctest::Approx(0.2).epsilon(1e-3));
  CHECK(f.params.tvp == doctest::Approx(0.3).epsilon(1e-3));
  CHECK_FALSE(f.lead_lag_kept);
  // Thresholds: bracketed by the events' levels and lengths, the truth inside.
  CHECK(f.vcease_bracket_pu.first == doctest::Approx(0.3));
  CHECK(f.vcease_bracket_pu.second == doctest::Approx(0.6));
  CHECK(f.tcease_bracket_s.first == doctest::Approx(0.002));
  CHECK(f.tcease_bracket_s.second == doctest::Approx(0.005));
  CHECK(f.params.tcease_s == doctest::Approx(0.0025));
  CHECK_FALSE(f.vrecon_identified);  // every sag returns straight to 1 p.u.
  const json j = perc1_fit_json(f);
  CHECK(j["parameters"]["Vrecon_pu"].is_null());
  CHECK(j["parameters"]["Dbfl_hz"].is_null());
  CHECK(j["dyr"].is_null());
  CHECK(j["fit_error_pct"].get<double>() == doctest::Approx(f.fit_error_pct));
  // The error definition: a model off by a constant 1 % of P0 everywhere is 1 % RMS.
  std::vector<Perc1Event> off = ev;
  for (auto& e : off)
    for (auto& x : e.p_w) x += 0.01 * p0;
  CHECK(perc1_fit_error_pct(truth, off) == doctest::Approx(1.0));
}

TEST_CASE("PERC1 fit: the campus's simulated ride-through responses, error reported") {
  const Scenario sc = load_scenario_file(test::tiny_path());
  RideThroughOptions o;
  o.depths = 4, o.durations = 4, o.threads = 2;
  const RideThroughMap m = ride_through_map(sc, o);
  const auto ev = perc1_events_from_map(sc, m, o, 4);
  REQUIRE(ev.size() == 16);
  std::size_t n = 0;
  for (const auto& e : ev) {
    CHECK(e.p0_w == doctest::Approx(m.loads.meter_w));
    double span = 0, fine = 0;
    for (double h : e.step_s) span += h, fine += h < 2e-3 ? h : 0.0;
    CHECK(span > 61.0);   // 1 s before the sag to 60 s after its end
    CHECK(fine > 2.0);    // 1 ms steps from 10 ms before the sag to 2 s after it
    n += e.v_pu.size();
  }
  const Perc1Fit f = fit_perc1(ev, {2});
  CAPTURE(f.fit_error_pct);
  CHECK(std::isfinite(f.fit_error_pct));
  CHECK(f.fit_error_pct >= 0);
  CHECK(f.fit_error_pct == doctest::Approx(perc1_fit_error_pct(f.params, ev)));
  CHECK(f.samples == n);
  MESSAGE("campus (tiny) PERC1 fit: Fcease " << f.params.fcease << ", Frecon " << f.params.frecon << ", Vcease "
                                               << f.params.vcease_pu << ", Trecon " << f.params.trecon_s << " s, Tramp "
                                               << f.params.tramp_s << " s, error " << f.fit_error_pct << " %");
}
