#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/thermal/facility_loop.h"

using namespace dctwin::thermal;

TEST_CASE("facility loop: mixing, plant load, lag and delay by hand") {
  // CDU returns 20 kg/s at 40 °C, 30 kg/s at 35 °C, 10 kg/s at 45 °C:
  // (800 + 1050 + 450) / 60 = 2300 / 60 = 38.3333 °C
  const MixedStream m = mix_streams({{20.0, 40.0}, {30.0, 35.0}, {10.0, 45.0}});
  CHECK(m.flow_kg_s == doctest::Approx(60.0));
  CHECK(m.temp_c == doctest::Approx(38.333333).epsilon(1e-8));
  CHECK_THROWS_AS(mix_streams({}), std::invalid_argument);
  CHECK_THROWS_AS(mix_streams({{0.0, 30.0}}), std::invalid_argument);
  // plant load: 60 * 4180 * (38.3333 - 25) = 3 344 000 W
  CHECK(plant_load_w(60.0, 4180.0, m.temp_c, 25.0) == doctest::Approx(3.344e6).epsilon(1e-9));
  // well-mixed 10 m3 of water (1000 kg/m3) at 50 kg/s: tau = 200 s; after 200 s from 30 toward 40:
  // 40 - 10 e^-1 = 36.3212
  CHECK(mixed_volume_step_c(30.0, 40.0, 50.0, 10.0, 1000.0, 200.0) == doctest::Approx(40.0 - 10.0 * std::exp(-1.0)));
  double t = 30.0;
  for (int i = 0; i < 200; ++i) t = mixed_volume_step_c(t, 40.0, 50.0, 10.0, 1000.0, 1.0);
  CHECK(t == doctest::Approx(40.0 - 10.0 * std::exp(-1.0)).epsilon(1e-12));
  CHECK(mixed_volume_step_c(30.0, 40.0, 0.0, 10.0, 1000.0, 100.0) == 30.0);
  CHECK(transport_delay_s(10.0, 1000.0, 50.0) == doctest::Approx(200.0));
}

TEST_CASE("facility loop: single heated loop by hand") {
  LoopNetwork n;
  const auto sup = n.add_fixed_node("plant supply", 25.0);
  const auto ret = n.add_node("return header");
  n.add_flow(sup, ret, 30.0, 4180.0);
  n.add_heat(ret, 1.0e6);
  n.add_flow(ret, sup, 30.0, 4180.0);
  const LoopSolution s = n.solve();
  // 25 + 1e6 / (30 * 4180) = 25 + 7.974482 = 32.9744817 °C
  CHECK(s.temp_c[ret] == doctest::Approx(25.0 + 1.0e6 / (30.0 * 4180.0)).epsilon(1e-12));
  CHECK(s.temp_c[sup] == 25.0);
  CHECK(s.heat_in_w == doctest::Approx(1.0e6));
  CHECK(s.heat_out_w == doctest::Approx(1.0e6).epsilon(1e-12));
  CHECK(s.boundary_heat_w[sup] == doctest::Approx(1.0e6).epsilon(1e-12));
}

TEST_CASE("facility loop: three CDUs with closed rack loops, every node balances") {
  // Facility water at 25 °C to three CDUs (counterflow), each cooling a closed rack (TCS) loop.
  struct Cdu {
    double q_w, tcs_kg_s, fws_kg_s, ua_w_k;
  };
  const Cdu cdus[3] = {{1.0e6, 25.0, 20.0, 4.0e5}, {1.5e6, 35.0, 30.0, 6.0e5}, {0.4e6, 12.0, 10.0, 2.0e5}};
  const double cp = 4180.0;
  LoopNetwork n;
  const auto sup = n.add_fixed_node("plant supply", 25.0);
  const auto ret = n.add_node("return header");
  LoopNetwork::NodeId rack_out[3], rack_in[3], fws_out[3];
  double fws_total = 0.0, q_total = 0.0;
  for (int i = 0; i < 3; ++i) {
    const std::string k = std::to_string(i);
    rack_out[i] = n.add_node("rack outlet " + k);
    rack_in[i] = n.add_node("rack inlet " + k);
    fws_out[i] = n.add_node("cdu fws out " + k);
    n.add_flow(rack_in[i], rack_out[i], cdus[i].tcs_kg_s, cp);
    n.add_heat(rack_out[i], cdus[i].q_w);
    n.add_hx(HxFlow::Counterflow, cdus[i].ua_w_k, rack_out[i], rack_in[i], cdus[i].tcs_kg_s, cp, sup, fws_out[i],
             cdus[i].fws_kg_s, cp);
    n.add_flow(fws_out[i], ret, cdus[i].fws_kg_s, cp);
    fws_total += cdus[i].fws_kg_s;
    q_total += cdus[i].q_w;
  }
  n.add_flow(ret, sup, fws_total, cp);
  const LoopSolution s = n.solve();

  // every node's energy balance to 1e-9 (relative to the 2.9 MW handled), and heat in = heat out
  for (std::size_t i = 0; i < n.node_count(); ++i) CHECK(std::abs(s.residual_w[i]) <= 1e-9 * q_total);
  CHECK(s.max_abs_residual_w <= 1e-9 * q_total);
  CHECK(s.heat_in_w == doctest::Approx(q_total));
  CHECK(std::abs(s.heat_out_w - s.heat_in_w) <= 1e-9 * q_total);
  CHECK(s.boundary_heat_w[sup] == doctest::Approx(q_total).epsilon(1e-12));

  // by hand: all heat reaches the return header: 25 + 2.9e6 / (60 * 4180) = 36.5629984 °C
  CHECK(s.temp_c[ret] == doctest::Approx(25.0 + 2.9e6 / (60.0 * 4180.0)).epsilon(1e-12));
  CHECK(s.temp_c[ret] == doctest::Approx(36.5629984).epsilon(1e-9));
  for (int i = 0; i < 3; ++i) {
    // closed TCS loop: the exchanger removes exactly the rack heat
    CHECK(s.hx_heat_w[static_cast<std::size_t>(i)] == doctest::Approx(cdus[i].q_w).epsilon(1e-12));
    // Q = eps C_min (T_rack_out - 25)  ->  T_rack_out = 25 + Q / (eps C_min)
    const double ct = cdus[i].tcs_kg_s * cp, cf = cdus[i].fws_kg_s * cp;
    const double cmin = std::min(ct, cf), cmax = std::max(ct, cf);
    const double eps = hx_effectiveness(HxFlow::Counterflow, cdus[i].ua_w_k / cmin, cmin / cmax);
    CHECK(s.temp_c[rack_out[i]] == doctest::Approx(25.0 + cdus[i].q_w / (eps * cmin)).epsilon(1e-12));
    // and the standalone exchanger at those inlets gives the same outlets
    const HxResult hx = hx_solve(HxFlow::Counterflow, cdus[i].ua_w_k, ct, cf, s.temp_c[rack_out[i]], 25.0);
    CHECK(s.temp_c[rack_in[i]] == doctest::Approx(hx.t_hot_out_c).epsilon(1e-12));
    CHECK(s.temp_c[fws_out[i]] == doctest::Approx(hx.t_cold_out_c).epsilon(1e-12));
    // rack rise = Q / (m cp)
    CHECK(s.temp_c[rack_out[i]] - s.temp_c[rack_in[i]] == doctest::Approx(cdus[i].q_w / ct).epsilon(1e-10));
  }
}

TEST_CASE("facility loop: recirculation bypass mixes supply with return") {
  // plant 20 kg/s at 25 °C; a bypass returns 10 kg/s of the 40 °C-ish return into the supply mix
  LoopNetwork n;
  const auto sup = n.add_fixed_node("plant supply", 25.0);
  const auto mix = n.add_node("mixed supply");
  const auto ret = n.add_node("return");
  n.add_flow(sup, mix, 20.0, 4180.0);
  n.add_flow(ret, mix, 10.0, 4180.0);
  n.add_flow(mix, ret, 30.0, 4180.0);
  n.add_heat(ret, 2.0e6);
  n.add_flow(ret, sup, 20.0, 4180.0);
  const LoopSolution s = n.solve();
  // return: 30 cp (T_r - T_m) = 2e6; mix: 30 T_m = 20*25 + 10 T_r
  //  -> T_r = 25 + 2e6/(20 cp) = 48.923445; T_m = (500 + 10 T_r)/30 = 32.974482
  CHECK(s.temp_c[ret] == doctest::Approx(25.0 + 2.0e6 / (20.0 * 4180.0)).epsilon(1e-12));
  CHECK(s.temp_c[mix] == doctest::Approx((500.0 + 10.0 * s.temp_c[ret]) / 30.0).epsilon(1e-12));
  CHECK(std::abs(s.heat_out_w - 2.0e6) <= 1e-9 * 2.0e6);
  CHECK(s.max_abs_residual_w <= 1e-9 * 2.0e6);
}

TEST_CASE("facility loop: bad networks are reported") {
  {
    LoopNetwork n;
    const auto a = n.add_fixed_node("supply", 25.0);
    const auto b = n.add_node("header");
    n.add_flow(a, b, 10.0, 4180.0);
    n.add_flow(b, a, 9.0, 4180.0);
    CHECK_THROWS_WITH_AS(n.solve(), doctest::Contains("mass not conserved at node 'header'"), std::invalid_argument);
  }
  {
    LoopNetwork n;
    const auto a = n.add_fixed_node("supply", 25.0);
    n.add_node("orphan");
    (void)a;
    CHECK_THROWS_WITH_AS(n.solve(), doctest::Contains("'orphan' has no inflow"), std::invalid_argument);
  }
  {
    // closed loop without exchanger or fixed node: temperature level undefined
    LoopNetwork n;
    const auto a = n.add_node("a");
    const auto b = n.add_node("b");
    n.add_flow(a, b, 5.0, 4180.0);
    n.add_flow(b, a, 5.0, 4180.0);
    CHECK_THROWS_AS(n.solve(), std::runtime_error);
  }
  {
    LoopNetwork n;
    const auto a = n.add_fixed_node("supply", 25.0);
    CHECK_THROWS_AS(n.add_heat(a, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(n.add_flow(a, 7, 1.0, 4180.0), std::invalid_argument);
  }
}
