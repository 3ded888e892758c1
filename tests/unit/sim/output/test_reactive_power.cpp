// Reactive power at the meter (sim/output/reactive_power.h): the elements of a small facility, Q of
// one step by hand, and the active power of a run unchanged by the reactive computation.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/facility/facility.h"
#include "sim/output/reactive_power.h"
#include "sim/output/results.h"
#include "sim/run.h"
#include "tests/support.h"

namespace test = dctwin::test;
using namespace dctwin;

namespace {
double tan_acos(double pf) { return std::sqrt(1 - pf * pf) / pf; }
}  // namespace

TEST_CASE("reactive power: the tiny facility's front ends, UPS and transformer") {
  // tests/data/tiny.json: 2 nodes, each 1 PSU N+1 (2 installed) of 2000 W; one 10 kW double-conversion
  // UPS; one 20 kVA transformer.
  const Facility f(test::load_tiny());
  const ReactiveElements e = reactive_elements(f);
  CHECK(e.front_end_rated_w == doctest::Approx(8000));
  CHECK(e.ups_rated_w == doctest::Approx(10000));
  CHECK(e.ups_eco_rated_w == 0);
  REQUIRE(e.transformers.size() == 1);
  CHECK(e.transformers[0].units == 1);
  CHECK(e.transformers[0].rated_kva == 20);
}

TEST_CASE("reactive power: one step by hand (double conversion, eco, cooling drives)") {
  ReactiveElements e;
  e.front_end_rated_w = 8000;
  e.ups_rated_w = 10000;
  e.transformers.push_back({1, 20});
  PowerRow p{};
  p[kIt] = 2000;
  p[kPsuLoss] = 200;
  p[kBuswayLoss] = 20;
  p[kUpsLoss] = 300;
  p[kSwitchgearLoss] = 5;
  p[kTransformerLoss] = 50;
  p[kUtility] = 2375;
  // UPS input 2320 W at PF 0.98: 2320 * 0.2030587 = 471.096 var. Transformer carries
  // S = |2325 + j471.096| = 2372.249 VA: Q_m = 1 % of 20 kVA = 200 var, Q_l = 0.0567175 * S^2 / 20000 = 15.959.
  const double q_ups = 2320 * tan_acos(0.98);
  CHECK(q_ups == doctest::Approx(471.096).epsilon(1e-5));
  const double s = std::hypot(2325.0, q_ups);
  const double q_tx = 200 + 0.0575 * 6 / std::sqrt(37.0) * s * s / 20000;
  CHECK(q_tx == doctest::Approx(215.959).epsilon(1e-5));
  CHECK(step_reactive_var(e, p) == doctest::Approx(q_ups + q_tx).epsilon(1e-12));
  CHECK(step_reactive_var(e, p) == doctest::Approx(687.055).epsilon(1e-5));
  // Eco mode: the IT load's own Q passes the bypass. PSU load x = (2000 - 200) / 8000 = 0.225:
  // PF = 0.80 + (0.025 / 0.30) * 0.10 = 0.808333 (ENERGY STAR points, power_factor.h).
  e.ups_eco_rated_w = 10000;
  const double q_it = 2000 * tan_acos(0.80 + 0.025 / 0.30 * 0.10);
  CHECK(q_it == doctest::Approx(1456.64).epsilon(1e-5));
  const double s_eco = std::hypot(2325.0, q_it);
  CHECK(step_reactive_var(e, p) == doctest::Approx(q_it + 200 + 0.0575 * 6 / std::sqrt(37.0) * s_eco * s_eco / 20000).epsilon(1e-12));
  // Cooling drives at PF 0.95 add 1000 * 0.3286841 var.
  e.ups_eco_rated_w = 0;
  p[kCooling] = 1000;
  CHECK(step_reactive_var(e, p) == doctest::Approx(q_ups + q_tx + 328.6841).epsilon(1e-6));
}

TEST_CASE("reactive power: a run's active power is the same with and without the PCC computation") {
  const RunResult plain = run_scenario(test::load_tiny());
  const RunResult pcc = run_scenario(test::load_tiny({"grid={\"pcc\": {\"nominal_kv\": 0.48, \"short_circuit_mva\": 1, \"x_over_r\": 3}}"}));
  CHECK(timeseries_csv(plain.engine.recorder) == timeseries_csv(pcc.engine.recorder));
  for (const char* k : {"facility_energy_mwh", "it_energy_mwh", "peak_facility_mw", "mean_facility_mw", "energy_balance_rel_error"}) {
    INFO(k);
    CHECK(plain.summary.at(k) == pcc.summary.at(k));
  }
  // The meter P of the reactive series is the recorder's, step by step; Q and PF are there.
  const Recorder& rec = plain.engine.recorder;
  REQUIRE(plain.pq.p_w.size() == rec.bin_count());
  for (std::size_t k = 0; k < rec.bin_count(); ++k) {
    CHECK(plain.pq.p_w[k] == rec.bin_mean_w(k, kUtility));
    CHECK(plain.pq.q_var[k] > 0);
    CHECK(plain.pq.pf(k) < 1);
  }
  CHECK(plain.summary.at("power_factor_min").get<double>() < 1);
  CHECK(plain.summary.at("reactive_power_peak_mvar").get<double>() > 0);
  // Without grid.pcc the PCC figures are null, never 0; with it, numbers (10 s: no Pst interval).
  CHECK(plain.summary.at("pcc_voltage_change_max_pct").is_null());
  CHECK(plain.summary.at("flicker_pst_max").is_null());
  CHECK(pcc.summary.at("pcc_voltage_change_max_pct").get<double>() > 0);
  CHECK(pcc.summary.at("flicker_pst_max").is_null());
  const std::string csv = timeseries_csv(plain.engine.recorder, nullptr, &plain.pq);
  CHECK(csv.substr(0, csv.find('\n')).find(",meter_q_mvar,meter_pf") != std::string::npos);
}
