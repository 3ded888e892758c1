#include <doctest/doctest.h>

#include "models/thermal/chiller.h"

using namespace dctwin::thermal;

namespace {
// TEST VALUES, not a product: linear curves normalised at 6.67 C / 29.44 C.
//   CAPFT = 1 + 0.02 (x - 6.67) - 0.01 (y - 29.44)  -> a0 = 1 - 0.1334 + 0.2944 = 1.161
//   EIRFT = 1 - 0.015 (x - 6.67) + 0.02 (y - 29.44) -> b0 = 1 + 0.10005 - 0.5888 = 0.51125
//   EIRFPLR = 0.2 + 0.3 PLR + 0.5 PLR^2
ChillerParams test_chiller() {
  ChillerParams p{};
  p.ref_capacity_w = 1.0e6;
  p.ref_cop = 6.0;
  p.ref_chw_leaving_c = 6.67;
  p.ref_cond_entering_c = 29.44;
  p.min_plr = 0.1;
  p.max_plr = 1.0;
  p.min_unloading_ratio = 0.2;
  p.curves.capft = {1.161, 0.02, 0.0, -0.01, 0.0, 0.0};
  p.curves.eirft = {0.51125, -0.015, 0.0, 0.02, 0.0, 0.0};
  p.curves.eirfplr = {0.2, 0.3, 0.5};
  p.chw_leaving_min_c = 5.0;
  p.chw_leaving_max_c = 10.0;
  p.cond_entering_min_c = 20.0;
  p.cond_entering_max_c = 35.0;
  return p;
}
}  // namespace

TEST_CASE("chiller: curve evaluation") {
  // 1 + 2*3 + 3*9 + 4*5 + 5*25 + 6*15 = 1 + 6 + 27 + 20 + 125 + 90 = 269
  CHECK(biquadratic({1, 2, 3, 4, 5, 6}, 3.0, 5.0) == doctest::Approx(269.0).epsilon(1e-15));
  CHECK(quadratic({1, 2, 3}, 2.0) == doctest::Approx(17.0).epsilon(1e-15));  // 1 + 4 + 12
  const ChillerParams p = test_chiller();
  CHECK(chiller_capft(p, 6.67, 29.44) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(chiller_eirft(p, 6.67, 29.44) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(chiller_eirfplr(p, 1.0) == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("chiller: COP at the reference point equals COP_ref") {
  const ChillerParams p = test_chiller();
  // full load: Q_avail = 1 MW, PLR = 1, P = 1e6/6 = 166 666.67 W, COP = 6
  const ChillerPoint op = chiller_operate(p, 1.0e6, 6.67, 29.44);
  CHECK(op.plr == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(op.power_w == doctest::Approx(166666.6667).epsilon(1e-9));
  CHECK(op.cop == doctest::Approx(6.0).epsilon(1e-12));
  CHECK(op.condenser_heat_w == doctest::Approx(1166666.6667).epsilon(1e-9));
  CHECK(op.unmet_w == 0.0);
}

TEST_CASE("chiller: off-reference part load by hand") {
  const ChillerParams p = test_chiller();
  // x = 6.67, y = 32.44: CAPFT = 0.97, EIRFT = 1.06, Q_avail = 970 000 W
  // load 500 kW: PLR = 0.5/0.97 = 0.5154639; EIRFPLR = 0.2 + 0.1546392 + 0.5*0.2657031 = 0.4874907
  // P = 970000/6 * 1.06 * 0.4874907 = 83 539.66 W; COP = 5.98518; Q_cond = 583 539.66 W
  const ChillerPoint op = chiller_operate(p, 5.0e5, 6.67, 32.44);
  CHECK(op.capft == doctest::Approx(0.97).epsilon(1e-12));
  CHECK(op.eirft == doctest::Approx(1.06).epsilon(1e-12));
  CHECK(op.available_capacity_w == doctest::Approx(970000.0).epsilon(1e-12));
  CHECK(op.plr == doctest::Approx(0.5154639175).epsilon(1e-9));
  CHECK(op.eirfplr == doctest::Approx(0.4874907004).epsilon(1e-9));
  CHECK(op.power_w == doctest::Approx(83539.6564).epsilon(1e-9));
  CHECK(op.cop == doctest::Approx(5.9851814).epsilon(1e-7));
  CHECK(op.condenser_heat_w == doctest::Approx(583539.6564).epsilon(1e-9));
  CHECK(op.false_load_w == 0.0);
  CHECK(op.cycling_ratio == 1.0);
}

TEST_CASE("chiller: false loading below the minimum unloading ratio, cycling below PLR_min") {
  const ChillerParams p = test_chiller();
  // 150 kW at reference: PLR 0.15 >= PLR_min 0.1 (no cycling), < PLR_unload 0.2 -> PLR_op = 0.2
  // EIRFPLR(0.2) = 0.2 + 0.06 + 0.02 = 0.28; P = 1e6/6 * 0.28 = 46 666.67 W
  // false load = 1e6*0.2 - 150 000 = 50 000 W; Q_cond = 150 000 + 46 666.67 (false load not added)
  const ChillerPoint a = chiller_operate(p, 1.5e5, 6.67, 29.44);
  CHECK(a.cycling_ratio == 1.0);
  CHECK(a.plr_operating == doctest::Approx(0.2).epsilon(1e-12));
  CHECK(a.power_w == doctest::Approx(46666.6667).epsilon(1e-9));
  CHECK(a.false_load_w == doctest::Approx(50000.0).epsilon(1e-9));
  CHECK(a.condenser_heat_w == doctest::Approx(196666.6667).epsilon(1e-9));
  // 50 kW: PLR 0.05 < 0.1 -> FRAC = 0.5; P = 1e6/6 * 0.28 * 0.5 = 23 333.33 W
  // false load = 1e6 * 0.2 * 0.5 - 50 000 = 50 000 W
  const ChillerPoint b = chiller_operate(p, 5.0e4, 6.67, 29.44);
  CHECK(b.cycling_ratio == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(b.power_w == doctest::Approx(23333.33333).epsilon(1e-9));
  CHECK(b.false_load_w == doctest::Approx(50000.0).epsilon(1e-9));
  // zero load: off
  const ChillerPoint c = chiller_operate(p, 0.0, 6.67, 29.44);
  CHECK(c.power_w == 0.0);
  CHECK(c.condenser_heat_w == 0.0);
}

TEST_CASE("chiller: overload is reported, not hidden") {
  const ChillerParams p = test_chiller();
  // 1.2 MW on a 1 MW machine (PLR_max 1): delivers 1 MW, 200 kW unmet, P = 166 666.67 W
  const ChillerPoint op = chiller_operate(p, 1.2e6, 6.67, 29.44);
  CHECK(op.evaporator_w == doctest::Approx(1.0e6).epsilon(1e-12));
  CHECK(op.unmet_w == doctest::Approx(2.0e5).epsilon(1e-9));
  CHECK(op.power_w == doctest::Approx(166666.6667).epsilon(1e-9));
}

TEST_CASE("chiller: power rises with condenser temperature at fixed load") {
  const ChillerParams t = test_chiller();
  const ChillerParams d = chiller_doe2_centrifugal(3.5e6);
  for (double frac : {0.3, 0.6, 0.9}) {
    double prev_t = 0.0;
    double prev_d = 0.0;
    for (int i = 0; i <= 22; ++i) {
      const double y = 24.0 + 0.5 * i;  // 24..35 C, the DOE-2 curve range
      const double pt = chiller_operate(t, frac * 1.0e6, 6.67, y).power_w;
      const double pd = chiller_operate(d, frac * 3.5e6, 6.67, y).power_w;
      CHECK(pt > prev_t);
      CHECK(pd > prev_d);
      prev_t = pt;
      prev_d = pd;
    }
  }
  // and falls with a warmer chilled-water setpoint (DOE-2 curves, 5..10 C)
  double prev = 1e30;
  for (int i = 0; i <= 10; ++i) {
    const double p = chiller_operate(d, 2.0e6, 5.0 + 0.5 * i, 29.4).power_w;
    CHECK(p < prev);
    prev = p;
  }
}

TEST_CASE("chiller: sourced coefficient sets") {
  // DOE-2 Centrifugal/5.50COP at its reference 6.67 / 29.4 C:
  // CAPFT = 0.257896 + 0.0389016*6.67 - 0.00021708*44.4889 + 0.0468684*29.4 - 0.00094284*864.36
  //         - 0.00034344*196.098 = 1.0033419
  // EIRFT = 0.9990879; EIRFPLR(1) = 0.222903 + 0.313387 + 0.46371 = 1.0
  const ChillerParams d = chiller_doe2_centrifugal(1.0e6);
  CHECK(chiller_capft(d, 6.67, 29.4) == doctest::Approx(1.0033419).epsilon(1e-7));
  CHECK(chiller_eirft(d, 6.67, 29.4) == doctest::Approx(0.9990879).epsilon(1e-7));
  CHECK(chiller_eirfplr(d, 1.0) == doctest::Approx(1.0).epsilon(1e-12));
  // full-load COP = 5.5 / (0.9990879 * 1.0) = 5.50502, within 0.1 % of COP_ref
  const ChillerPoint op = chiller_operate(d, chiller_available_capacity_w(d, 6.67, 29.4), 6.67, 29.4);
  CHECK(op.cop == doctest::Approx(5.5050210).epsilon(1e-7));
  CHECK(op.cop == doctest::Approx(d.ref_cop).epsilon(1e-3));
  // DOE-2 at 7 / 30 C, 2 MW on 3.5 MW: CAPFT 1.0049439, Q_avail 3 517 303.6 W, PLR 0.5686174,
  // EIRFT 1.0020676, EIRFPLR 0.5510297, P = 3517303.6/5.5 * 1.0020676 * 0.5510297 = 353 117.46 W
  const ChillerPoint d2 = chiller_operate(chiller_doe2_centrifugal(3.5e6), 2.0e6, 7.0, 30.0);
  CHECK(d2.power_w == doctest::Approx(353117.461).epsilon(1e-8));
  // McQuay WSC 471 kW at 8.89 / 26.67 C: CAPFT 0.9985397, EIRFT 1.0037881, EIRFPLR(1) 1.0001
  // full-load COP = 5.89 / (1.0037881*1.0001) = 5.86719
  const ChillerParams m = chiller_mcquay_wsc_471kw();
  CHECK(chiller_capft(m, 8.89, 26.67) == doctest::Approx(0.9985397).epsilon(1e-6));
  CHECK(chiller_eirft(m, 8.89, 26.67) == doctest::Approx(1.0037881).epsilon(1e-6));
  const ChillerPoint mq = chiller_operate(m, chiller_available_capacity_w(m, 8.89, 26.67), 8.89, 26.67);
  CHECK(mq.cop == doctest::Approx(5.86719).epsilon(1e-5));
  CHECK(chiller_within_curve_range(m, 8.89, 26.67));
  CHECK_FALSE(chiller_within_curve_range(m, 8.89, 29.0));
  CHECK_FALSE(chiller_within_curve_range(d, 4.0, 29.4));
}

TEST_CASE("chiller: N+1 staging") {
  const ChillerParams p = test_chiller();  // Q_avail = 1 MW at reference
  // 4 duty + 1 standby, stage at PLR 0.9, 2.5 MW: k = ceil(2.5/0.9) = ceil(2.78) = 3, each 833.3 kW
  ChillerStaging s = chiller_plant_stage(p, 4, 1, 0, 0.9, 2.5e6, 6.67, 29.44);
  CHECK(s.running == 3);
  CHECK(s.max_running == 4);
  CHECK_FALSE(s.capacity_exceeded);
  CHECK(s.plr_each == doctest::Approx(2.5 / 3.0).epsilon(1e-12));
  // each: EIRFPLR(0.83333) = 0.2 + 0.25 + 0.3472222 = 0.7972222; P = 1e6/6*0.7972222 = 132 870.37 W
  CHECK(s.each.power_w == doctest::Approx(132870.3704).epsilon(1e-9));
  CHECK(s.total_power_w == doctest::Approx(3.0 * 132870.3704).epsilon(1e-9));
  CHECK(s.total_condenser_heat_w == doctest::Approx(2.5e6 + 3.0 * 132870.3704).epsilon(1e-9));
  // 3.8 MW needs ceil(4.22) = 5 > 4: capacity exceeded, 4 run at 950 kW each, nothing unmet
  s = chiller_plant_stage(p, 4, 1, 0, 0.9, 3.8e6, 6.67, 29.44);
  CHECK(s.capacity_exceeded);
  CHECK(s.running == 4);
  CHECK(s.load_each_w == doctest::Approx(950000.0).epsilon(1e-12));
  CHECK(s.total_unmet_w == 0.0);
  // one failure: the standby takes over, still 4 may run
  s = chiller_plant_stage(p, 4, 1, 1, 0.9, 3.5e6, 6.67, 29.44);
  CHECK(s.max_running == 4);
  CHECK(s.running == 4);
  // two failures, 3.5 MW: only 3 may run, 1.1667 MW each, 166.7 kW unmet each, 500 kW in all
  s = chiller_plant_stage(p, 4, 1, 2, 0.9, 3.5e6, 6.67, 29.44);
  CHECK(s.max_running == 3);
  CHECK(s.running == 3);
  CHECK(s.capacity_exceeded);
  CHECK(s.total_unmet_w == doctest::Approx(5.0e5).epsilon(1e-9));
  // no load: nothing runs
  s = chiller_plant_stage(p, 4, 1, 0, 0.9, 0.0, 6.67, 29.44);
  CHECK(s.running == 0);
  CHECK(s.total_power_w == 0.0);
  // running count never falls as load rises
  int prev = 0;
  for (int i = 0; i <= 40; ++i) {
    const int n = chiller_plant_stage(p, 4, 1, 0, 0.9, i * 1.0e5, 6.67, 29.44).running;
    CHECK(n >= prev);
    prev = n;
  }
}

TEST_CASE("chiller: warm leaving water, Carnot scaling of the refrigerant lift above the fitted range") {
  // DOE-2 set, 5 K span, x = 15 C, y = 29.4 C, approaches a_e = a_c = 2 F = 1.1111 K. By hand:
  // EIRFT(10, 29.4) = 0.933884 - 0.58212 + 0.450036 + 0.071442 + 0.42007896 - 0.35721 = 0.93611096.
  // No condenser rise: T_cond = 29.4 + 1.1111 + 273.15 = 303.6611 K; T_evap(15) = 287.0389 K,
  // T_evap(10) = 282.0389 K; f = (16.6222 / 287.0389) / (21.6222 / 282.0389) = 0.7553653.
  // With a 5 K rise: T_cond = 308.6611 K, f = (21.6222 / 287.0389) / (26.6222 / 282.0389) = 0.7980393.
  // (The water temperatures alone, the old definition, gave (14.4 / 288.15) / (19.4 / 283.15) = 0.7294.)
  // The raw polynomial at 15 C would give 1.0289910 (+10 % over the edge value, the wrong
  // direction); the edge value alone 0.9361110.
  ChillerParams p = chiller_doe2_centrifugal(5.0e6);
  p.chw_extrapolation_k = 5.0;
  CHECK(p.evap_approach_k == doctest::Approx(10.0 / 9.0));
  CHECK(p.cond_approach_k == doctest::Approx(10.0 / 9.0));
  CHECK(chiller_warm_water_eir_factor(p, 15.0, 29.4) == doctest::Approx(0.7553653).epsilon(1e-6));
  CHECK(chiller_warm_water_eir_factor(p, 15.0, 29.4, 5.0) == doctest::Approx(0.7980393).epsilon(1e-6));
  CHECK(chiller_eirft(p, 15.0, 29.4, 5.0) == doctest::Approx(0.93611096 * 0.7980393).epsilon(1e-6));
  // capacity held at the edge (conservative)
  CHECK(chiller_capft(p, 15.0, 29.4) == doctest::Approx(chiller_capft(p, 10.0, 29.4)).epsilon(1e-15));
  // inside the fitted range nothing changes
  CHECK(chiller_warm_water_eir_factor(p, 8.0, 29.4, 5.0) == 1.0);
  CHECK(chiller_eirft(p, 8.0, 29.4) == doctest::Approx(biquadratic(p.curves.eirft, 8.0, 29.4)).epsilon(1e-15));
  // bounded: beyond the span the factor is held (x = 18 -> 15), and never below 0.6
  CHECK(chiller_warm_water_eir_factor(p, 18.0, 29.4) == doctest::Approx(0.7553653).epsilon(1e-6));
  CHECK(chiller_warm_water_eir_factor(p, 15.0, 18.0) == doctest::Approx(0.6));    // lift ratio 0.502
  CHECK(chiller_warm_water_eir_factor(p, 15.0, 5.0) == doctest::Approx(0.6));     // no lift at the edge
  // Full load at 15 C with a condenser flow of 200 kg/s: Q_avail = 5e6 CAPFT(10, 29.4) = 5e6 x
  // 1.0872104 = 5.436052 MW, EIRFPLR(1) = 1. The rise dT_c = (Q + P) / (200 x 4186) and
  // P = Q / 5.5 x 0.93611096 x f(dT_c) settle (iterated by hand from dT_c = 0) at dT_c = 7.3919 K,
  // f = 0.8132527, P = 752.443 kW, COP 7.2245.
  p.cond_flow_kg_s = 200.0;
  const ChillerPoint op = chiller_operate(p, chiller_available_capacity_w(p, 15.0, 29.4), 15.0, 29.4);
  CHECK(op.power_w == doctest::Approx(752443.3).epsilon(1e-6));
  CHECK(op.cop == doctest::Approx(7.224534).epsilon(1e-6));
  CHECK(op.eirft == doctest::Approx(0.93611096 * 0.8132527).epsilon(1e-6));
  // span 0: the old behaviour (the caller clamps)
  p.chw_extrapolation_k = 0.0;
  CHECK(chiller_warm_water_eir_factor(p, 15.0, 29.4, 5.0) == 1.0);
}
