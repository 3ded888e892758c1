#include <doctest/doctest.h>

#include "models/thermal/psychrometrics.h"

using namespace dctwin::thermal;

TEST_CASE("psychrometrics: saturation pressure against ASHRAE 2017 ch. 1 Table 3") {
  // Table values (Pa) as quoted in PsychroLib's tests; ASHRAE claims the fit is within 300 ppm.
  CHECK(saturation_vapour_pressure_pa(-20.0) == doctest::Approx(103.24).epsilon(3e-4));
  CHECK(saturation_vapour_pressure_pa(-5.0) == doctest::Approx(401.74).epsilon(3e-4));
  CHECK(saturation_vapour_pressure_pa(5.0) == doctest::Approx(872.6).epsilon(3e-4));
  CHECK(saturation_vapour_pressure_pa(25.0) == doctest::Approx(3169.7).epsilon(3e-4));
  CHECK(saturation_vapour_pressure_pa(50.0) == doctest::Approx(12351.3).epsilon(3e-4));
  CHECK(saturation_vapour_pressure_pa(100.0) == doctest::Approx(101418.0).epsilon(3e-4));
}

TEST_CASE("psychrometrics: saturation pressure by hand at 25 C") {
  // T = 298.15 K; ln p = -5800.2206/298.15 + 1.3914993 - 0.048640239*298.15
  //   + 4.1764768e-5*298.15^2 - 1.4452093e-8*298.15^3 + 6.5459673*ln(298.15)
  //   = -19.45404 + 1.39150 - 14.50209 + 3.71261 - 0.38303 + 37.29628 = 8.06124 -> p = 3169.22 Pa
  CHECK(saturation_vapour_pressure_pa(25.0) == doctest::Approx(3169.22).epsilon(1e-5));
  // both branches are continuous to 0.1 % at the triple point (ice/water meet at 611.66 Pa)
  CHECK(saturation_vapour_pressure_pa(0.0099) == doctest::Approx(saturation_vapour_pressure_pa(0.0101)).epsilon(1e-3));
}

TEST_CASE("psychrometrics: humidity ratio from vapour pressure, dew point and RH") {
  // PsychroLib test: p_w = 3169.7 Pa at 95 461 Pa: W = 0.621945*3169.7/(95461-3169.7) = 0.0213604
  CHECK(humidity_ratio_from_vapour_pressure(3169.7, 95461.0) == doctest::Approx(0.0213603998).epsilon(1e-8));
  // dew point 10 C: p_ws(10) = 1228.0 Pa; W = 0.621945*1228.0/(101325-1228.0) = 0.0076301
  CHECK(humidity_ratio_from_dew_point(10.0, 101325.0) == doctest::Approx(0.0076301).epsilon(1e-4));
  // 35 C, 40 %: p_w = 0.4*5627.82 = 2251.13 Pa; W = 0.621945*2251.13/(101325-2251.13) = 0.0141317
  CHECK(humidity_ratio_from_rh(35.0, 0.40, 101325.0) == doctest::Approx(0.0141317).epsilon(1e-4));
  // round trip RH -> W -> RH
  const double w = humidity_ratio_from_rh(30.0, 0.55, 90000.0);
  CHECK(relative_humidity_from_humidity_ratio(30.0, w, 90000.0) == doctest::Approx(0.55).epsilon(1e-12));
}

TEST_CASE("psychrometrics: wet bulb") {
  // 35 C dry bulb, 40 % RH, 101325 Pa: psychrometric charts give ~23.9 C; the psychrometric
  // equation (eq. 33) solved with W = 0.0141317 gives 23.935 C.
  CHECK(wet_bulb_from_rh_c(35.0, 0.40, 101325.0) == doctest::Approx(23.9345).epsilon(1e-4));
  // ASHRAE 2017 ch. 1 Example 1: 40 C dry bulb, 20 C wet bulb, 101.325 kPa -> W = 0.0065
  // by eq. 33: p_ws(20) = 2338.80 Pa, W*s = 0.621945*2338.80/(101325 - 2338.80) = 0.0146951;
  // W = ((2501 - 46.52)*0.0146951 - 1.006*20) / (2501 + 74.4 - 83.72)
  //   = (36.06871 - 20.12) / 2491.68 = 0.00640079
  const double w1 = humidity_ratio_from_wet_bulb(40.0, 20.0, 101325.0);
  CHECK(w1 == doctest::Approx(0.0065).epsilon(0.02));        // handbook value, 2 significant digits
  CHECK(w1 == doctest::Approx(0.00640079).epsilon(1e-5));    // exact evaluation of eq. 33
  CHECK(relative_humidity_from_humidity_ratio(40.0, w1, 101325.0) == doctest::Approx(0.14).epsilon(0.05));
  CHECK(wet_bulb_from_humidity_ratio_c(40.0, w1, 101325.0) == doctest::Approx(20.0).epsilon(1e-8));
  // PsychroLib test (above and below freezing), 95 461 Pa
  CHECK(humidity_ratio_from_wet_bulb(30.0, 25.0, 95461.0) == doctest::Approx(0.0192281274).epsilon(3e-4));
  CHECK(wet_bulb_from_humidity_ratio_c(30.0, 0.0192281274, 95461.0) == doctest::Approx(25.0).epsilon(1e-4));
  CHECK(humidity_ratio_from_wet_bulb(-1.0, -5.0, 95461.0) == doctest::Approx(0.00120399820).epsilon(3e-4));
  CHECK(wet_bulb_from_humidity_ratio_c(-1.0, 0.00120399820, 95461.0) == doctest::Approx(-5.0).epsilon(1e-3));
  // saturated air: wet bulb = dry bulb = dew point
  CHECK(wet_bulb_from_dew_point_c(22.0, 22.0, 101325.0) == doctest::Approx(22.0).epsilon(1e-7));
}

TEST_CASE("psychrometrics: wet bulb properties") {
  // dew point <= wet bulb <= dry bulb, and wet bulb rises with humidity and with dry bulb
  double prev = -1e9;
  for (int i = 1; i <= 10; ++i) {
    const double rh = 0.1 * i;
    const double wb = wet_bulb_from_rh_c(30.0, rh, 101325.0);
    CHECK(wb > prev);
    CHECK(wb <= 30.0 + 1e-8);
    prev = wb;
  }
  prev = -1e9;
  for (int t = 0; t <= 45; t += 5) {
    const double wb = wet_bulb_from_dew_point_c(t, -2.0, 101325.0);
    CHECK(wb >= -2.0 - 1e-6);
    CHECK(wb > prev);
    prev = wb;
  }
  // lower pressure (altitude): same RH and dry bulb give a lower wet bulb
  CHECK(wet_bulb_from_rh_c(35.0, 0.4, 80000.0) < wet_bulb_from_rh_c(35.0, 0.4, 101325.0));
}

TEST_CASE("psychrometrics: enthalpy, volume, density") {
  // PsychroLib: h(30 C, W = 0.02) = 1.006*30 + 0.02*(2501 + 55.8) = 30.18 + 51.136 = 81.316 kJ/kg
  CHECK(moist_air_enthalpy_j_kg(30.0, 0.02) == doctest::Approx(81316.0).epsilon(1e-12));
  // dry air 25 C: 25.15 kJ/kg (ASHRAE Table 2: 25.148)
  CHECK(moist_air_enthalpy_j_kg(25.0, 0.0) == doctest::Approx(25150.0).epsilon(1e-12));
  // Example 1 (40 C / 20 C wb): h = 40.24 + 0.0064008*(2501 + 74.4) = 56.725 kJ/kg (handbook 56.7)
  const double w1 = humidity_ratio_from_wet_bulb(40.0, 20.0, 101325.0);
  CHECK(moist_air_enthalpy_j_kg(40.0, w1) == doctest::Approx(56700.0).epsilon(2e-3));
  // v = 287.042*313.15*(1 + 1.607858*0.0064008)/101325 = 0.89625 m^3/kg (handbook 0.896)
  CHECK(moist_air_specific_volume_m3_kg(40.0, w1, 101325.0) == doctest::Approx(0.896).epsilon(1e-3));
  // dry air at 25 C: v = 287.042*298.15/101325 = 0.84463 (ASHRAE Table 2: 0.8443)
  CHECK(moist_air_specific_volume_m3_kg(25.0, 0.0, 101325.0) == doctest::Approx(0.84463).epsilon(1e-5));
  // PsychroLib: density(30 C, 0.02, 95461 Pa) = 1.02/0.940855 = 1.084120
  CHECK(moist_air_density_kg_m3(30.0, 0.02, 95461.0) == doctest::Approx(1.08411986).epsilon(1e-6));
  // density falls with temperature and with humidity (water vapour is lighter than air)
  CHECK(moist_air_density_kg_m3(35.0, 0.01, 101325.0) < moist_air_density_kg_m3(25.0, 0.01, 101325.0));
  CHECK(moist_air_density_kg_m3(30.0, 0.02, 101325.0) < moist_air_density_kg_m3(30.0, 0.0, 101325.0));
  CHECK(moist_air_enthalpy_j_kg(30.0, 0.02) > moist_air_enthalpy_j_kg(30.0, 0.01));
}
