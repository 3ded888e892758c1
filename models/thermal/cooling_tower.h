#pragma once
/**
 * @file cooling_tower.h
 * @brief Variable-speed open cooling tower: YorkCalc approach, fan affinity, make-up water.
 *
 * ## Equations
 *
 * Approach (leaving water minus entering-air wet bulb, K), YorkCalc correlation, 27 terms:
 *
 *     approach = sum_{i,j,k in 0..2} c[9k + 3j + i] * Twb^i * Tr^j * LG^k
 *
 * (c[0] + c[1] Twb + c[2] Twb^2 + c[3] Tr + c[4] Twb Tr + ... + c[26] Twb^2 Tr^2 LG^2, the
 * EnergyPlus Coeff(1..27) order), with Twb the wet bulb (C), Tr the range (K) and
 * LG = FR_water / FR_air the liquid-to-gas ratio relative to the correlation's reference.
 *
 * The heat Q (W) and water flow m (kg/s) are inputs; the range follows and the leaving water
 * temperature floats:
 *
 *     Tr = Q / (m cp_w);   T_leave(FR_air) = Twb + approach(Twb, Tr, FR_w / FR_air);
 *     T_enter = T_leave + Tr;   FR_w = (m / m_design) * FR_w,ref
 *
 * FR_w,ref is found once (cooling_tower_reference_water_flow_ratio) so that the correlation gives
 * the design approach at the design wet bulb and range with FR_air = 1, as EnergyPlus does.
 * Fan control toward the leaving-water setpoint T_set follows EnergyPlus CoolingTower:
 * VariableSpeed, in this order:
 *
 *  0. no heat (heat_w <= 0): Off, fan off, leaving = entering = wet bulb (idle basin);
 *  1. full speed (FR_air = 1): if T_leave >= T_set, run at full speed (setpoint met only if equal);
 *  2. free convection (fan off): T_free = Twb + approach(LG = FR_w / f_free); if T_free <= T_set
 *     the fan stays off (FR_air reported = f_free);
 *  3. minimum speed FR_min: if T_leave(FR_min) <= T_set the fan cycles at FR_min with on-fraction
 *     (T_free - T_set) / (T_free - T_leave(FR_min)), and the leaving water is at T_set;
 *  4. otherwise FR_air in [FR_min, 1] solves T_leave(FR_air) = T_set (bisection, 1e-10).
 *
 *     P_fan = P_fan,design * FR_air^3 * on_fraction                     (affinity law, W)
 *
 * Free convection differs from EnergyPlus in form: EnergyPlus (inlet-temperature driven) takes a
 * fraction f_free of the full-fan temperature drop; with heat as the input, this model evaluates
 * the correlation at an air-flow ratio equal to f_free (EnergyPlus reports FR_air = f_free in that
 * regime). Both make free convection a small fraction of the forced capacity.
 *
 * Water (kg/s), in EnergyPlus's form (all streams >= 0):
 *
 *     evaporation  E = m_da * (W_out - W_in)             (SaturatedExit, the default, below)
 *               or E = Q / h_fg                          (LatentHeat: all heat rejected as latent)
 *               or E = k_evap * Tr * m                   (LossFactor, k_evap in 1/K)
 *     drift        D = drift_fraction * m * FR_air       (carried-over droplets; EnergyPlus
 *                                                         uses the design flow for m here)
 *     blowdown     B = max(0, E / (C - 1) - D)           (C: cycles of concentration, > 1)
 *     make-up      M = E + D + B
 *
 * The blowdown follows from the dissolved-solids balance M c_m = (B + D) C c_m with M = E + B + D,
 * i.e. B + D = E / (C - 1): drift also carries solids out, so it is credited (EnergyPlus does the
 * same). Without drift this is the textbook B = E / (C - 1).
 *
 * SaturatedExit (EnergyPlus "Evaporation Loss Mode = SaturatedExit", CalculateWaterUseage): the
 * air-side energy balance of the tower with the leaving air saturated. With the inlet air at dry
 * bulb t_db, humidity ratio W_in (from t_db and the wet bulb, psychrometrics.h) and pressure p:
 *
 *     m_da  = FR_air * V_design / v(t_db, W_in, p)       dry-air mass flow (kg/s), v per kg dry air
 *     h_out = h(t_db, W_in) + Q / m_da                   leaving-air enthalpy (J/kg dry air)
 *     t_out : h(t_out, W_s(t_out)) = h_out               saturated leaving air (bisection, 1e-9 K)
 *     W_out = W_s(t_out);   E = m_da * max(0, W_out - W_in)
 *
 * The latent share E h_fg / Q is below 1 whenever the inlet air is near saturation (cold or
 * humid weather: more of the heat leaves as sensible heat), and can exceed 1 only when hot, dry
 * air is itself cooled by evaporation. EnergyPlus takes the inlet enthalpy as saturated air at the
 * wet bulb and works per kg of moist air; here the balance is per kg of dry air with the actual
 * inlet enthalpy (differences below 0.5 %). V_design is the cell's design air flow; EnergyPlus
 * autosizes it from the design fan power with a fan total efficiency of 0.5 and a pressure rise of
 * 190 Pa (V = 0.5 P_fan / 190 Pa), which the scenario loader uses when no air flow is given.
 *
 * ## Parameters
 *
 * | name (CoolingTowerParams)  | unit     | meaning                                            |
 * | -------------------------- | -------- | -------------------------------------------------- |
 * | design_wet_bulb_c          | C        | design entering-air wet bulb                       |
 * | design_approach_k          | K        | design approach at FR_air = 1                      |
 * | design_range_k             | K        | design range                                       |
 * | design_water_flow_kg_s     | kg/s     | design water flow m_design                         |
 * | design_fan_power_w         | W        | fan power at full speed                            |
 * | min_air_flow_ratio         | per unit | FR_min (EnergyPlus example input: 0.2)             |
 * | free_convection_fraction   | per unit | f_free (EnergyPlus example input: 0.125)           |
 * | coefficients               | -        | 27 YorkCalc coefficients (default: YorkCalc)       |
 *
 * | name (TowerWaterParams)    | unit     | meaning                                            |
 * | -------------------------- | -------- | -------------------------------------------------- |
 * | method                     | -        | SaturatedExit, LatentHeat or LossFactor            |
 * | design_air_flow_m3_s       | m^3/s    | V_design per cell at FR_air = 1 (SaturatedExit)    |
 * | latent_heat_j_kg           | J/kg     | h_fg; ~2.4e6 (docs/references.md)                  |
 * | loss_factor_per_k          | 1/K      | k_evap; EnergyPlus default 0.2 %/K = 0.002 /K      |
 * | drift_fraction             | per unit | EnergyPlus default 0.008 % = 8e-5                  |
 * | cycles_of_concentration    | -        | C; EnergyPlus default 3                            |
 *
 * ## Validity
 *
 * YorkCalc limits (EnergyPlus Engineering Reference, Table "Minimum and Maximum Limits for
 * Approach Temperature Correlation Variables"): wet bulb -34.4 to 26.7 C, range 1.1 to 22.2 K,
 * approach 1.1 to 40 K, water-flow ratio 0.75 to 1.25, LG <= 8. Outside these the polynomial is
 * extrapolated (it even turns non-monotone in LG at large range and LG, e.g. range >= 10 K with
 * LG > 6): cooling_tower_within_yorkcalc_range() tells the caller; nothing is clipped here.
 * At very light load (range < 1.1 K) the approach is extrapolated too. Preconditions (caller's
 * job): flows > 0, 0 < min_air_flow_ratio <= 1, 0 < free_convection_fraction < min_air_flow_ratio,
 * cycles_of_concentration > 1, heat_w >= 0.
 *
 * ## How to use
 *
 *     CoolingTowerParams t{25.6, 3.9, 5.6, 400.0, 75e3, 0.2, 0.125, yorkcalc_coefficients()};
 *     CoolingTowerPoint op = cooling_tower_operate(t, 9.0e6, 400.0, 22.0, 29.0);
 *     TowerWaterParams wp = tower_water_energyplus_defaults();
 *     wp.design_air_flow_m3_s = tower_design_air_flow_m3_s(75e3);     // 197 m^3/s
 *     TowerWater w = cooling_tower_water(wp, 9.0e6, 400.0, op.range_k, op.air_flow_ratio,
 *                                        TowerInletAir{27.0, 22.0});
 *
 * ## Accuracy
 *
 * YorkCalc is a purely empirical fit (York International, 2002) to a generic counterflow tower;
 * with design point calibration it gives the right trends (approach grows with range and LG,
 * falls with wet bulb) but for a specific tower a manufacturer fit (YorkCalcUserDefined) or a
 * Merkel model is better; expect errors of the order of 0.5-1 K in approach away from design.
 * Fan power by the pure cube law overstates savings at low speed (motor/VFD losses). The
 * saturated-exit evaporation slightly overstates evaporation (real leaving air is 95-100 %
 * saturated) and depends on V_design (a 20 % error in V_design moves evaporation by a few
 * percent at design, more in cold weather). The latent-heat form (Q/h_fg) ignores the sensible
 * share; the loss factor 0.2 %/K (EnergyPlus's simple alternative) equals 0.002 * 3.6e6 / 4186 =
 * 1.72 kg per kWh rejected, above Q/h_fg = 1.48 kg/kWh at h_fg = 2.43 MJ/kg, so it is kept only
 * as an explicit option.
 *
 * ## Source
 *
 * EnergyPlus Engineering Reference, "Variable Speed Cooling Towers Empirical Models" (approach
 * correlation, coefficient table, limits, fan control sequence, fan power, make-up water);
 * EnergyPlus CondenserLoopTowers.cc (YorkCalc coefficients; CalculateWaterUseage: saturated-exit
 * evaporation, drift and blowdown); EnergyPlus Input Output Reference, CoolingTower:VariableSpeed
 * "Evaporation Loss Mode" and the design air flow autosizing (fan efficiency 0.5, 190 Pa);
 * York International Corporation (2002), "YORKcalc Software, Chiller-Plant Energy-Estimating
 * Program", Form 160.00-SG2; Modelica Buildings Fluid.HeatExchangers.CoolingTowers.Correlations
 * .yorkCalc (same coefficients).
 */

#include <array>

#include "models/thermal/psychrometrics.h"  // kCpWaterJkgK

namespace dctwin::thermal {

/// The 27 YorkCalc coefficients (EnergyPlus Coeff(1..27)).
std::array<double, 27> yorkcalc_coefficients();

/// YorkCalc approach (K) for wet bulb (C), range (K) and liquid-to-gas ratio.
double yorkcalc_approach_k(const std::array<double, 27>& c, double wet_bulb_c, double range_k,
                           double lg_ratio);

struct CoolingTowerParams {
  double design_wet_bulb_c;         ///< C
  double design_approach_k;         ///< K
  double design_range_k;            ///< K
  double design_water_flow_kg_s;    ///< kg/s
  double design_fan_power_w;        ///< W at FR_air = 1
  double min_air_flow_ratio;        ///< per unit
  double free_convection_fraction;  ///< per unit
  std::array<double, 27> coefficients;
};

/// FR_w,ref: water-flow ratio at design flow giving the design approach with FR_air = 1.
/// Found by bisection on [0.01, 8]; returns a bracket end if the design point is unreachable.
double cooling_tower_reference_water_flow_ratio(const CoolingTowerParams& p);

/// True when wet bulb, range, approach, water-flow ratio and LG are inside the YorkCalc limits.
bool cooling_tower_within_yorkcalc_range(double wet_bulb_c, double range_k, double approach_k,
                                         double water_flow_ratio, double lg_ratio);

enum class TowerRegime { Off, FreeConvection, FanCycling, VariableSpeed, FullSpeed };

struct CoolingTowerPoint {
  TowerRegime regime = TowerRegime::Off;
  double heat_rejected_w = 0.0;     ///< W, = heat_w (the tower rejects what it receives)
  double range_k = 0.0;             ///< K
  double approach_k = 0.0;          ///< K, leaving water - wet bulb
  double leaving_water_c = 0.0;     ///< C
  double entering_water_c = 0.0;    ///< C
  double water_flow_ratio = 0.0;    ///< FR_w
  double air_flow_ratio = 0.0;      ///< FR_air
  double fan_on_fraction = 0.0;     ///< 1 except when cycling (0 in free convection)
  double fan_power_w = 0.0;         ///< W
  bool setpoint_met = false;        ///< leaving water <= setpoint (within 1e-6 K)
};

/// Tower rejecting `heat_w` (W) with water flow `water_flow_kg_s` at `wet_bulb_c`, aiming at a
/// leaving-water setpoint.
CoolingTowerPoint cooling_tower_operate(const CoolingTowerParams& p, double heat_w,
                                        double water_flow_kg_s, double wet_bulb_c,
                                        double leaving_setpoint_c);

/// Leaving water (C) at a fixed air-flow ratio (no control); for tests and plant iteration.
double cooling_tower_leaving_water_c(const CoolingTowerParams& p, double heat_w,
                                     double water_flow_kg_s, double wet_bulb_c,
                                     double air_flow_ratio);

enum class EvaporationMethod { LatentHeat, LossFactor, SaturatedExit };

struct TowerWaterParams {
  EvaporationMethod method;
  double latent_heat_j_kg;         ///< J/kg, h_fg (LatentHeat)
  double loss_factor_per_k;        ///< 1/K, fraction of flow evaporated per K of range (LossFactor)
  double drift_fraction;           ///< per unit of circulating flow at full air flow
  double cycles_of_concentration;  ///< C > 1
  double design_air_flow_m3_s = 0.0;  ///< m^3/s per cell at FR_air = 1 (SaturatedExit)
};

/// EnergyPlus defaults (Evaporation Loss Mode SaturatedExit, drift 0.008 %, C = 3; the loss
/// factor 0.2 %/K and h_fg = 2.4 MJ/kg kept for the other methods). design_air_flow_m3_s is 0:
/// the caller sets it (tower_design_air_flow_m3_s).
TowerWaterParams tower_water_energyplus_defaults();

/// EnergyPlus autosized design air flow (m^3/s) from the design fan power (W): fan total
/// efficiency 0.5, pressure rise 190 Pa, sea level: V = 0.5 P_fan / 190.
double tower_design_air_flow_m3_s(double design_fan_power_w);

/// Air entering the tower.
struct TowerInletAir {
  double dry_bulb_c;
  double wet_bulb_c;
  double pressure_pa = kStandardPressurePa;
};

/// Saturated-exit evaporation (kg/s) of a tower rejecting `heat_w` (W) to `air_volume_flow_m3_s`
/// (FR_air * V_design, m^3/s at the inlet state) of inlet air `air`; 0 without heat or air.
double tower_saturated_exit_evaporation_kg_s(double heat_w, double air_volume_flow_m3_s,
                                             const TowerInletAir& air);

struct TowerWater {
  double evaporation_kg_s = 0.0;
  double drift_kg_s = 0.0;
  double blowdown_kg_s = 0.0;
  double makeup_kg_s = 0.0;  ///< evaporation + drift + blowdown
};

/// Water use (kg/s) of a tower rejecting `heat_w` with flow `water_flow_kg_s`, range `range_k`
/// and air-flow ratio `air_flow_ratio` (scales drift and, for SaturatedExit, the air flow), with
/// inlet air `air` (used by SaturatedExit only).
TowerWater cooling_tower_water(const TowerWaterParams& w, double heat_w, double water_flow_kg_s,
                               double range_k, double air_flow_ratio, const TowerInletAir& air);

}  // namespace dctwin::thermal
