#include <doctest/doctest.h>

#include "models/thermal/cdu.h"

using namespace dctwin::thermal;

TEST_CASE("cdu: design point of the Project Deschutes record") {
  const CduDesign d = cdu_design_google_deschutes();
  CHECK(d.q_w == 2.0e6);
  CHECK(d.pump_power_w == 74.0e3);
  const CduParams p = cdu_from_design(d);
  // C_tcs = 31.48 * 4180 = 131586.4 W/K; C_fws = 32.30 * 4180 = 135014 W/K; Cr = 0.974613
  // eps = 2e6 / (131586.4 * 18.2) = 0.835118; NTU = ln((eps-1)/(eps Cr-1)) / (Cr-1) = 4.764766
  // UA = 4.764766 * 131586.4 = 626978.4 W/K
  CHECK(p.effectiveness_design == doctest::Approx(0.8351175).epsilon(1e-6));
  CHECK(p.ua_design_w_k == doctest::Approx(626978.4).epsilon(1e-6));
  // r = 1: hA on each side = 2 UA
  CHECK(p.hA_tcs_design_w_k == doctest::Approx(2.0 * p.ua_design_w_k));
  CHECK(p.hA_fws_design_w_k == doctest::Approx(2.0 * p.ua_design_w_k));
  // at the rating point it reproduces the rating: Q 2 MW, rack supply 45 - 15.19914 = 29.80086 °C
  // (approach 3.0 K to the 26.8 °C facility water), facility return 26.8 + 2e6/135014 = 41.61328 °C
  const CduResult r = cdu_solve(p, 31.48, 32.30, 45.0, 26.8);
  CHECK(r.q_w == doctest::Approx(2.0e6).epsilon(1e-9));
  CHECK(r.tcs_supply_c == doctest::Approx(29.80086).epsilon(1e-6));
  CHECK(r.tcs_supply_c - 26.8 == doctest::Approx(3.0).epsilon(1e-3));
  CHECK(r.fws_return_c == doctest::Approx(41.61328).epsilon(1e-6));
  CHECK(r.ua_w_k == doctest::Approx(p.ua_design_w_k).epsilon(1e-12));
  CHECK(r.pump_power_w == doctest::Approx(74.0e3));
}

TEST_CASE("cdu: off-design flow, UA scaling and pump affinity law") {
  const CduParams p = cdu_from_design(cdu_design_google_deschutes());
  // half TCS flow: UA = 1 / (1/(2UA 0.5^0.8) + 1/(2UA)) = 457464.6 W/K; C_tcs = 65793.2 (C_min)
  // NTU 6.95301, Cr 0.487306 -> eps 0.985286; Q = 0.985286 * 65793.2 * 18.2 = 1179818 W
  // rack supply 45 - 17.9322 = 27.0678 °C; facility return 26.8 + 8.73848 = 35.5385 °C
  const CduResult r = cdu_solve(p, 15.74, 32.30, 45.0, 26.8);
  CHECK(r.ua_w_k == doctest::Approx(457464.6).epsilon(1e-6));
  CHECK(r.effectiveness == doctest::Approx(0.985286).epsilon(1e-6));
  CHECK(r.q_w == doctest::Approx(1179817.6).epsilon(1e-6));
  CHECK(r.tcs_supply_c == doctest::Approx(27.06779).epsilon(1e-6));
  CHECK(r.fws_return_c == doctest::Approx(35.53848).epsilon(1e-6));
  // pump: 74 kW * 0.5^3 = 9250 W
  CHECK(r.pump_power_w == doctest::Approx(9250.0));
  // energy balance on both sides
  CHECK(15.74 * 4180.0 * (45.0 - r.tcs_supply_c) == doctest::Approx(32.30 * 4180.0 * (r.fws_return_c - 26.8)).epsilon(1e-12));
  // no facility flow: no heat moved
  CHECK(cdu_solve(p, 31.48, 0.0, 45.0, 26.8).q_w == 0.0);
}

TEST_CASE("cdu: facility flow for a rack supply setpoint") {
  const CduParams p = cdu_from_design(cdu_design_google_deschutes());
  // at design flows the supply is 29.80086 °C, so a 29.80086 setpoint needs the design 32.30 kg/s
  const CduFlowForSupply f = cdu_fws_flow_for_supply(p, 31.48, 45.0, 26.8, 29.800861, 60.0);
  CHECK(f.reachable);
  CHECK(f.fws_flow_kg_s == doctest::Approx(32.30).epsilon(1e-5));
  // a warmer setpoint needs less water, and the result meets it
  const CduFlowForSupply g = cdu_fws_flow_for_supply(p, 31.48, 45.0, 26.8, 32.0, 60.0);
  CHECK(g.reachable);
  CHECK(g.fws_flow_kg_s < 32.30);
  CHECK(cdu_solve(p, 31.48, g.fws_flow_kg_s, 45.0, 26.8).tcs_supply_c == doctest::Approx(32.0).epsilon(1e-8));
  // below the facility water temperature: unreachable at any flow
  const CduFlowForSupply h = cdu_fws_flow_for_supply(p, 31.48, 45.0, 26.8, 26.0, 60.0);
  CHECK_FALSE(h.reachable);
  CHECK(h.fws_flow_kg_s == 60.0);
}
