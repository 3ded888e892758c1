#pragma once
/**
 * @file psychrometrics.h
 * @brief Moist-air properties: saturation pressure, humidity ratio, wet-bulb, enthalpy, density.
 *
 * ## Equations (ASHRAE Handbook - Fundamentals 2017, SI, chapter 1)
 *
 * Saturation vapour pressure, Hyland-Wexler (T in K, p_ws in Pa):
 *
 *     over ice,   -100 <= t < 0.01 C  (eq. 5):
 *       ln p_ws = C1/T + C2 + C3 T + C4 T^2 + C5 T^3 + C6 T^4 + C7 ln T
 *     over water, 0.01 <= t <= 200 C  (eq. 6):
 *       ln p_ws = C8/T + C9 + C10 T + C11 T^2 + C12 T^3 + C13 ln T
 *
 * Humidity ratio from the partial pressure of water vapour p_w (eq. 20, 22):
 *
 *     W = 0.621945 p_w / (p - p_w)                 (kg water / kg dry air)
 *     p_w = p_ws(t_dew)          from a dew point  (definition of the dew point, eq. 37)
 *     p_w = phi * p_ws(t)        from relative humidity phi in [0, 1] (eq. 24)
 *
 * Thermodynamic wet-bulb t* from the psychrometric equation (eq. 33 at t* >= 0 C, eq. 35 below):
 *
 *     W = ((2501 - 2.326 t*) W*_s - 1.006 (t - t*)) / (2501 + 1.86 t - 4.186 t*)     t* >= 0
 *     W = ((2830 - 0.24  t*) W*_s - 1.006 (t - t*)) / (2830 + 1.86 t - 2.1   t*)     t* <  0
 *
 * with W*_s the saturation humidity ratio at t*. This is solved for t* by bisection on
 * [-100 C, t]: W(t*) is increasing in t* wherever W >= 0, so the root is unique; the loop stops
 * when the bracket is narrower than 1e-9 K (at most 200 halvings).
 *
 * Moist-air specific enthalpy per kg of dry air (eq. 30), here in J/kg:
 *
 *     h = 1000 * (1.006 t + W (2501 + 1.86 t))
 *
 * Specific volume per kg of dry air (eq. 26) and density of the moist air (per m^3 of mixture):
 *
 *     v   = 287.042 (t + 273.15) (1 + 1.607858 W) / p        (m^3 / kg dry air)
 *     rho = (1 + W) / v                                       (kg / m^3)
 *
 * ## Parameters and units
 *
 * | name       | unit             | meaning                                              |
 * | ---------- | ---------------- | ---------------------------------------------------- |
 * | t_c        | C                | dry-bulb temperature                                 |
 * | dew_c      | C                | dew-point temperature                                |
 * | wet_bulb_c | C                | thermodynamic wet-bulb temperature                   |
 * | rh         | per unit         | relative humidity phi, 0..1 (not percent)            |
 * | w          | kg/kg dry air    | humidity ratio W                                     |
 * | p_pa       | Pa               | total (barometric) pressure; 101325 Pa at sea level  |
 *
 * ## Validity
 *
 * Saturation pressure: -100 to 200 C (the range of eqs. 5 and 6). Other relations: ideal-gas
 * moist air at ordinary barometric pressures, dew point <= dry bulb, 0 <= rh <= 1. Inputs are not
 * checked or clipped (caller's job); outside these ranges results are extrapolations or NaN.
 *
 * ## How to use
 *
 *     double w  = humidity_ratio_from_rh(35.0, 0.40, 101325.0);     // 0.01413 kg/kg
 *     double wb = wet_bulb_from_rh_c(35.0, 0.40, 101325.0);         // 23.93 C
 *     double h  = moist_air_enthalpy_j_kg(35.0, w);                 // J/kg dry air
 *
 * ## Accuracy
 *
 * ASHRAE states the Hyland-Wexler fit is within 300 ppm of the tabulated saturation pressures
 * (Table 3) over -100..200 C. The ideal-gas humidity ratio, enthalpy and volume formulas neglect
 * the enhancement factor and real-gas effects; PsychroLib's comparisons with ASHRAE Table 2 show
 * differences of up to ~0.5 % in saturation humidity ratio at 5-25 C and up to 2 % at 85 C, and
 * ~1 % in saturation enthalpy. The wet-bulb equation is exact for the thermodynamic wet bulb given
 * these approximations; a psychrometer reading differs slightly (ASHRAE ch. 1). For cooling-tower
 * and economizer hours these errors (hundredths of a kelvin in wet bulb) are far below the
 * uncertainty of weather data.
 *
 * ## Source
 *
 * ASHRAE Handbook - Fundamentals 2017 (SI), chapter 1 "Psychrometrics", eqs. 5, 6, 20, 22, 24,
 * 26, 30, 33, 35; Hyland & Wexler (1983), ASHRAE Transactions 89(2A). The same formulas are
 * implemented by PsychroLib (github.com/psychrometrics/psychrolib), whose tests supplied the
 * tabulated comparison values used in tests/unit/models/thermal/test_psychrometrics.cpp.
 */

namespace dctwin::thermal {

/// Standard atmosphere at sea level (Pa), ASHRAE Fundamentals ch. 1 Table 1.
inline constexpr double kStandardPressurePa = 101325.0;

/// Ratio of molar masses of water vapour and dry air, 0.621945 (ASHRAE ch. 1 eq. 20).
inline constexpr double kMolarMassRatioWaterAir = 0.621945;

/// Specific heat of dry air, J/(kg K): the 1.006 kJ/(kg K) of ASHRAE ch. 1 eq. 30.
inline constexpr double kCpAirJkgK = 1006.0;

/// Specific heat of liquid water, J/(kg K): the 4.186 kJ/(kg K) of ASHRAE ch. 1 eq. 33
/// (4.18-4.19 between 10 and 50 C).
inline constexpr double kCpWaterJkgK = 4186.0;

/// Density of liquid water, kg/m^3, at 25 C (997.05 kg/m^3, CRC Handbook of Chemistry and
/// Physics, "Properties of water"): pump volume flows, loop masses, water volumes.
inline constexpr double kRhoWaterKgM3 = 997.0;

/// Saturation pressure of water vapour (Pa) at `t_c` (C); over ice below 0.01 C.
double saturation_vapour_pressure_pa(double t_c);

/// Humidity ratio (kg/kg dry air) for a water-vapour partial pressure and total pressure (Pa).
double humidity_ratio_from_vapour_pressure(double vapour_pressure_pa, double p_pa);

/// Humidity ratio (kg/kg dry air) from the dew point (C) and total pressure (Pa).
double humidity_ratio_from_dew_point(double dew_c, double p_pa);

/// Humidity ratio (kg/kg dry air) from dry bulb (C), relative humidity (0..1) and pressure (Pa).
double humidity_ratio_from_rh(double t_c, double rh, double p_pa);

/// Humidity ratio (kg/kg dry air) from dry bulb and thermodynamic wet bulb (C), pressure (Pa).
double humidity_ratio_from_wet_bulb(double t_c, double wet_bulb_c, double p_pa);

/// Relative humidity (0..1) of air at dry bulb `t_c` with humidity ratio `w` at pressure `p_pa`.
double relative_humidity_from_humidity_ratio(double t_c, double w, double p_pa);

/// Thermodynamic wet bulb (C) from dry bulb (C), humidity ratio (kg/kg) and pressure (Pa).
double wet_bulb_from_humidity_ratio_c(double t_c, double w, double p_pa);

/// Thermodynamic wet bulb (C) from dry bulb (C), relative humidity (0..1) and pressure (Pa).
double wet_bulb_from_rh_c(double t_c, double rh, double p_pa);

/// Thermodynamic wet bulb (C) from dry bulb (C), dew point (C) and pressure (Pa).
double wet_bulb_from_dew_point_c(double t_c, double dew_c, double p_pa);

/// Moist-air specific enthalpy (J per kg of dry air) at dry bulb `t_c` and humidity ratio `w`.
double moist_air_enthalpy_j_kg(double t_c, double w);

/// Moist-air specific volume (m^3 per kg of dry air).
double moist_air_specific_volume_m3_kg(double t_c, double w, double p_pa);

/// Moist-air density (kg of mixture per m^3) = (1 + W) / v.
double moist_air_density_kg_m3(double t_c, double w, double p_pa);

}  // namespace dctwin::thermal
