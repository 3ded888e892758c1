#pragma once
/**
 * @file chiller.h
 * @brief Electric chiller, DOE-2 EIR model (EnergyPlus Chiller:Electric:EIR), and N+1 staging.
 *
 * ## Equations
 *
 * With x = leaving chilled-water temperature (C) and y = entering condenser-fluid temperature (C):
 *
 *     CAPFT(x, y)  = a0 + a1 x + a2 x^2 + a3 y + a4 y^2 + a5 x y        (biquadratic)
 *     EIRFT(x, y)  = b0 + b1 x + b2 x^2 + b3 y + b4 y^2 + b5 x y        (biquadratic)
 *     EIRFPLR(PLR) = c0 + c1 PLR + c2 PLR^2                            (quadratic)
 *
 *     Q_avail   = Q_ref * CAPFT(x, y)                           available capacity (W)
 *     PLR       = min(Q_load / Q_avail, PLR_max)                part-load ratio
 *     Q_evap    = PLR * Q_avail        (= Q_load unless overloaded; Q_unmet = Q_load - Q_evap)
 *     FRAC      = min(1, PLR / PLR_min)                         cycling ratio (on-time fraction)
 *     PLR_op    = max(PLR, PLR_unload)                          PLR the compressor runs at
 *     P         = (Q_avail / COP_ref) * EIRFT(x, y) * EIRFPLR(PLR_op) * FRAC            (W)
 *     Q_cond    = Q_evap + P                                    heat to the condenser (W)
 *     Q_false   = Q_avail * PLR_op * FRAC - Q_evap  (>= 0)      false (hot-gas bypass) load
 *
 * Below the minimum part-load ratio PLR_min the chiller cycles on and off (FRAC < 1). Below the
 * minimum unloading ratio PLR_unload it cannot unload further and false-loads (hot-gas bypass):
 * the compressor is charged as if at PLR_op, while the water sees only Q_evap. This is the
 * EnergyPlus logic (ChillerElectricEIR.cc, ChillerElectricReformulatedEIR.cc). One deliberate
 * difference: EnergyPlus adds Q_false to the condenser heat; here Q_cond = Q_evap + P exactly
 * (first law on the refrigerant circuit: bypassed hot gas is internal recirculation), so the
 * plant heat balance closes. Q_false is reported for information only.
 *
 * Staging (chiller_plant_stage): n_duty identical chillers plus n_standby standby units share
 * the load equally. The number running is the smallest k with Q_load / (k Q_avail) <= PLR_stage
 * (the staging threshold, e.g. 1.0 or 0.9), capped at min(n_duty, n_duty + n_standby - n_failed):
 * a standby unit replaces a failed duty unit; it does not add capacity. If the cap binds,
 * capacity_exceeded is set and each running unit gets Q_load / k (and reports unmet load).
 *
 * Warm leaving chilled water (bounded extrapolation; set chw_extrapolation_k = 0 to turn it off).
 * AI plants run the chilled water at 15-30 C, above the fitted ranges (x <= 10 or 12.78 C), where
 * the quadratics turn unphysical (the DOE-2 EIRFT rises again above about 10.4 C: +10 % at 15 C).
 * Above the fitted maximum x_e, up to x_e + chw_extrapolation_k, the curves are evaluated at x_e
 * (capacity held: conservative) and the EIR is scaled by the ratio of the Carnot EIRs, i.e. the
 * chiller is assumed to keep the fraction of the Carnot COP it has at x_e (Gordon & Ng's
 * thermodynamic chiller model: EIR = Carnot EIR / second-law efficiency, the efficiency taken
 * as constant over the span). The Carnot EIR is that of the refrigerant temperatures, not of
 * the water's: the refrigerant evaporates below the leaving chilled water by the evaporator
 * approach a_e and condenses above the leaving condenser water (entering y + the condenser
 * water's rise dT_c at the operating point) by the condenser approach a_c:
 *
 *     T_evap(x) = x - a_e + 273.15,   T_cond = y + dT_c + a_c + 273.15                  (K)
 *     dT_c      = Q_cond / (m_c cp)    one chiller's condenser heat over its condenser flow
 *     lift(x)   = (T_cond - T_evap(x)) / T_evap(x)      Carnot EIR (K/K)
 *     f         = clamp(lift(x_x) / lift(x_e), f_min, 1),   x_x = min(x, x_e + chw_extrapolation_k)
 *     EIRFT(x, y) = EIRFT(x_e, y) * f
 *
 * with y the condenser temperature as the curves see it. Q_cond = Q_evap + P depends on f through
 * P: chiller_operate iterates dT_c to 1e-9 K (a contraction: dT_c moves f by ~1e-3 per K).
 * The approaches default to 2 F = 1.11 K each (kChillerApproachDefaultK, an assumption: the top
 * of the 1-2 F Trane gives for clean evaporator and condenser tubes; fouling raises it); m_c = 0
 * (cond_flow_kg_s unset) leaves the rise out. Counting the fixed temperature differences the
 * lift keeps (the approaches and the rise) makes the relative gain of a warmer x smaller than
 * the water temperatures alone suggest. f_min = 0.6 (an assumption: about the smallest f the
 * 5 K span gives inside the DOE-2 set's range) keeps the scaling bounded where the lift
 * collapses (partial free cooling with cold condenser water).
 * Example: DOE-2 set at x = 15 C, y = 29.4 C, a_e = a_c = 1.1111 K, dT_c = 5 K:
 * T_cond = 308.6611 K, lift(15) = 21.6222 / 287.0389 = 0.075329, lift(10) = 26.6222 / 282.0389
 * = 0.094392, f = 0.7980 (the water temperatures alone gave 0.7294).
 * Hours with x outside the fitted range are still counted as outside (the plant reports them).
 *
 * ## Parameters (ChillerParams)
 *
 * | name                   | unit     | meaning                                              |
 * | ---------------------- | -------- | ---------------------------------------------------- |
 * | ref_capacity_w         | W        | Q_ref, capacity at the reference temperatures        |
 * | ref_cop                | W/W      | COP_ref at the reference temperatures, full load     |
 * | ref_chw_leaving_c      | C        | reference leaving chilled-water temperature          |
 * | ref_cond_entering_c    | C        | reference entering condenser-fluid temperature       |
 * | min_plr                | per unit | PLR_min: cycling below                               |
 * | max_plr                | per unit | PLR_max: most the chiller can deliver, x Q_avail     |
 * | min_unloading_ratio    | per unit | PLR_unload: false loading below                      |
 * | curves.capft, .eirft   | -        | 6 biquadratic coefficients each (order a0..a5 above) |
 * | curves.eirfplr         | -        | 3 quadratic coefficients                             |
 * | chw_leaving_min_c/max  | C        | range of x over which the curves were fitted         |
 * | cond_entering_min_c/max| C        | range of y over which the curves were fitted         |
 * | chw_extrapolation_k    | K        | span above chw_leaving_max_c of the Carnot scaling   |
 * | evap_approach_k        | K        | a_e: leaving chilled water - evaporating refrigerant |
 * | cond_approach_k        | K        | a_c: condensing refrigerant - leaving condenser water|
 * | cond_flow_kg_s         | kg/s     | m_c: condenser water flow of one chiller (0: no rise)|
 *
 * ## Example coefficient sets (sourced; neither is a measurement of a present-day product)
 *
 * chiller_doe2_centrifugal(): "DOE-2 Centrifugal/5.50COP", the generic water-cooled centrifugal
 * chiller of DOE-2.1E (curves HERM-CENT-CAP-FT, HERM-CENT-EIR-FT, HERM-CENT-EIR-FPLR) as printed
 * in the EnergyPlus Input Output Reference, Chiller:Electric:EIR example: COP_ref 5.5, reference
 * 6.67 C leaving chilled water / 29.4 C entering condenser water, PLR_min 0.1, PLR_max 1.0,
 * PLR_unload 0.2, curve ranges x 5-10 C, y 24-35 C. Q_ref is autosized there, so it is an argument
 * here. At the reference point CAPFT = 1.0033 and EIRFT = 0.9991 (not exactly 1: the curves were
 * fitted in F), so the full-load COP there is 5.5 / 0.9991 = 5.505 and capacity 1.0033 Q_ref.
 *
 * chiller_mcquay_wsc_471kw(): "ElectricEIRChiller McQuay WSC 471kW/5.89COP/Vanes" from the
 * EnergyPlus dataset datasets/Chillers.idf (CoolTools curves, 1991-2001 data): Q_ref 471 200 W,
 * COP_ref 5.89, reference 8.89 C / 26.67 C, PLR_min 0.10, PLR_max 1.15, PLR_unload 0.10, curve
 * ranges x 7.22-12.78 C, y 12.78-26.67 C, EIRFPLR PLR 0.10-1.15. At its reference point
 * CAPFT = 0.99854, EIRFT = 1.00379, EIRFPLR(1) = 1.0001 (full-load COP 5.867).
 *
 * ## Validity
 *
 * Steady state, water-cooled, constant evaporator and condenser flow near the reference flows.
 * Outside the fitted curve ranges the biquadratics extrapolate and can turn unphysical (a
 * quadratic CAPFT eventually falls); EnergyPlus clamps the curve inputs to their ranges, this
 * model does not clamp (a run never silently clips): use chiller_within_curve_range() and report.
 * The exception is the documented warm-water scaling above (x in (x_e, x_e + span]); beyond the
 * span the caller clamps. The Carnot scaling is a physical bound, not a fit: real chillers lose
 * part of the lift benefit (fixed compressor and motor losses, surge limits at low lift), so it
 * can understate energy at warm water by several percent; use manufacturer curves for design.
 * Preconditions (caller's job): ref_capacity_w > 0, ref_cop > 0, 0 < min_plr, 0 <= min_unloading
 * _ratio, max_plr > 0, load_w >= 0; a non-positive Q_avail gives an all-zero point with the whole
 * load unmet.
 *
 * ## How to use
 *
 *     ChillerParams ch = chiller_doe2_centrifugal(3.5e6);            // 3.5 MW (about 1000 tons)
 *     ChillerPoint op = chiller_operate(ch, 2.0e6, 6.67, 29.4);       // load, T_chw_lvg, T_cond_ent
 *     op.power_w; op.condenser_heat_w; op.cop;
 *     ChillerStaging st = chiller_plant_stage(ch, 4, 1, 0, 0.9, 9.0e6, 6.67, 29.4);
 *
 * ## Accuracy
 *
 * The DOE-2 EIR model is the standard of building energy simulation. Fitted to a specific
 * chiller's catalog data it typically reproduces the fitted points within a few percent; the
 * EnergyPlus documentation notes the reformulated (leaving-condenser) model is more accurate for
 * variable-speed compressors and variable condenser flow. Generic curves (DOE-2 Centrifugal)
 * represent 1980s-90s constant-speed machines: present-day magnetic-bearing / VSD chillers have
 * much better part-load EIR, so use manufacturer curves for design decisions. Condenser-side
 * effects enter only through the entering temperature; flow changes are not modelled.
 *
 * ## Source
 *
 * EnergyPlus Engineering Reference, "Electric Chiller Model Based on Condenser Entering
 * Temperature" (Chiller:Electric:EIR); EnergyPlus Input Output Reference, Chiller:Electric:EIR;
 * EnergyPlus datasets/Chillers.idf (NREL/EnergyPlus); Hydeman et al. (2002), CoolTools; LBNL
 * DOE-2.1E Supplement (curve names above). Carnot COP T_evap / (T_cond - T_evap) of the
 * refrigerant temperatures and chillers as a fraction of it: Gordon, J.M. & Ng, K.C. (2000),
 * Cool Thermodynamics, Cambridge International Science Publishing, ch. 3 and the Gordon-Ng
 * universal chiller model (also ASHRAE Handbook - Fundamentals, ch. 2, "Thermodynamics and
 * Refrigeration Cycles": Carnot refrigeration cycle between the evaporating and condensing
 * temperatures). Approach temperatures: Trane technical support, "Expected Approach
 * Temperatures" (DOC-84842: 1-2 F for evaporator and condenser, water without glycol).
 */

#include <array>

namespace dctwin::thermal {

struct ChillerCurves {
  std::array<double, 6> capft;    ///< CAPFT(x = T_chw_leaving, y = T_cond_entering)
  std::array<double, 6> eirft;    ///< EIRFT(x, y)
  std::array<double, 3> eirfplr;  ///< EIRFPLR(PLR)
};

struct ChillerParams {
  double ref_capacity_w;       ///< W, Q_ref
  double ref_cop;              ///< W/W, COP_ref
  double ref_chw_leaving_c;    ///< C, reference leaving chilled water
  double ref_cond_entering_c;  ///< C, reference entering condenser fluid
  double min_plr;              ///< per unit, cycling below
  double max_plr;              ///< per unit, maximum part-load ratio
  double min_unloading_ratio;  ///< per unit, false loading below
  ChillerCurves curves;
  double chw_leaving_min_c;    ///< C, fitted range of x
  double chw_leaving_max_c;
  double cond_entering_min_c;  ///< C, fitted range of y
  double cond_entering_max_c;
  double chw_extrapolation_k = 0.0;  ///< K, span of the warm-water Carnot scaling (0: none)
  double evap_approach_k = 0.0;      ///< K, a_e (kChillerApproachDefaultK in the shipped sets)
  double cond_approach_k = 0.0;      ///< K, a_c
  double cond_flow_kg_s = 0.0;       ///< kg/s, m_c of one chiller (0: no condenser rise in the lift)
};

/// 2 F (1.11 K): evaporator and condenser approach of the shipped sets (an assumption, see above).
inline constexpr double kChillerApproachDefaultK = 2.0 * 5.0 / 9.0;

/// Warm-water scaling factor f of the EIR (1 when x <= chw_leaving_max_c or the span is 0), with
/// the condenser water rising `cond_rise_k` through the chiller.
double chiller_warm_water_eir_factor(const ChillerParams& p, double chw_leaving_c,
                                     double cond_entering_c, double cond_rise_k = 0.0);

/// a0 + a1 x + a2 x^2 + a3 y + a4 y^2 + a5 x y (EnergyPlus Curve:Biquadratic order).
double biquadratic(const std::array<double, 6>& c, double x, double y);

/// c0 + c1 x + c2 x^2.
double quadratic(const std::array<double, 3>& c, double x);

double chiller_capft(const ChillerParams& p, double chw_leaving_c, double cond_entering_c);
double chiller_eirft(const ChillerParams& p, double chw_leaving_c, double cond_entering_c,
                     double cond_rise_k = 0.0);
double chiller_eirfplr(const ChillerParams& p, double plr);

/// Q_ref * CAPFT (W).
double chiller_available_capacity_w(const ChillerParams& p, double chw_leaving_c,
                                    double cond_entering_c);

/// True when both temperatures lie inside the range the curves were fitted over.
bool chiller_within_curve_range(const ChillerParams& p, double chw_leaving_c,
                                double cond_entering_c);

struct ChillerPoint {
  double load_w = 0.0;                ///< W, requested evaporator load
  double evaporator_w = 0.0;          ///< W, load actually removed (Q_evap)
  double unmet_w = 0.0;               ///< W, load_w - evaporator_w (> 0 when overloaded)
  double available_capacity_w = 0.0;  ///< W, Q_avail
  double plr = 0.0;                   ///< Q_evap / Q_avail
  double plr_operating = 0.0;         ///< max(PLR, PLR_unload), used in EIRFPLR
  double cycling_ratio = 0.0;         ///< FRAC, on-time fraction
  double false_load_w = 0.0;          ///< W, hot-gas bypass load (information only)
  double capft = 0.0;
  double eirft = 0.0;
  double eirfplr = 0.0;
  double power_w = 0.0;               ///< W, electric input P
  double condenser_heat_w = 0.0;      ///< W, Q_evap + P
  double cop = 0.0;                   ///< Q_evap / P (0 when P = 0)
};

/// One chiller meeting `load_w` (W) at the given leaving chilled-water and entering condenser
/// temperatures (C).
ChillerPoint chiller_operate(const ChillerParams& p, double load_w, double chw_leaving_c,
                             double cond_entering_c);

struct ChillerStaging {
  int running = 0;                ///< chillers running
  int max_running = 0;            ///< min(n_duty, n_duty + n_standby - n_failed)
  bool capacity_exceeded = false; ///< the load needed more chillers than may run
  double load_each_w = 0.0;       ///< W, load per running chiller
  double plr_each = 0.0;          ///< part-load ratio of each running chiller
  ChillerPoint each;              ///< operating point of one running chiller
  double total_power_w = 0.0;     ///< W, running * each.power_w
  double total_condenser_heat_w = 0.0;  ///< W
  double total_unmet_w = 0.0;     ///< W
};

/// Equal-share staging of n_duty + n_standby identical chillers with n_failed out of service;
/// `stage_plr` is the part-load ratio above which one more chiller starts.
ChillerStaging chiller_plant_stage(const ChillerParams& p, int n_duty, int n_standby,
                                   int n_failed, double stage_plr, double load_w,
                                   double chw_leaving_c, double cond_entering_c);

/// DOE-2.1E generic water-cooled centrifugal chiller (see the header text), capacity `ref_capacity_w`.
ChillerParams chiller_doe2_centrifugal(double ref_capacity_w);

/// EnergyPlus Chillers.idf "ElectricEIRChiller McQuay WSC 471kW/5.89COP/Vanes".
ChillerParams chiller_mcquay_wsc_471kw();

}  // namespace dctwin::thermal
