#pragma once
/**
 * @file converter_power_factor.h
 * @brief Input power factor of the power-electronic front ends upstream of the IT load: the active
 * (IGBT, PFC) rectifier of a double-conversion UPS and the diode front end of a cooling drive (VFD).
 *
 * ## Equation
 *
 *     Q = P tan(acos PF)          (var, drawn; P the input active power, W; power_factor.h)
 *
 * with PF a constant per front end:
 *
 * | front end                              | PF   | source                                                      |
 * | -------------------------------------- | ---- | ----------------------------------------------------------- |
 * | double-conversion UPS, IGBT rectifier  | 0.98 | Schneider Electric Galaxy 5000 guide specification: "input power factor of 0.98 lagging to unity at 75 % or above load" (the floor of that range) |
 * | cooling drive (VFD, diode front end)   | 0.95 | ASSUMPTION: a six-pulse diode rectifier draws its fundamental current nearly in phase (displacement PF commonly quoted at 0.95-0.98, e.g. ABB Technical guide No. 6, harmonics with AC drives); the low end is taken |
 *
 * ## Validity
 *
 * Displacement (fundamental) power factor; current distortion is not counted. The UPS figure is
 * stated for 75 % load and above; below it the rectifier's PF falls somewhat (not modelled: the
 * constant is used at every load, an optimistic assumption at light load). A double-conversion UPS
 * decouples its load: the IT equipment's own reactive power is supplied by the inverter and does not
 * reach the grid; in eco mode (bypass) it does. The whole cooling plant's electric power is taken
 * as drawn through drives (assumption: chillers, pumps, fans and tower fans on VFDs).
 */

namespace dctwin::power {

/// Input PF of a double-conversion UPS with an active (IGBT) rectifier.
inline constexpr double kUpsRectifierPowerFactor = 0.98;
/// Displacement PF of a cooling drive with a diode front end (assumption, header).
inline constexpr double kDrivePowerFactor = 0.95;

}  // namespace dctwin::power
