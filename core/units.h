// Unit conversions used from input to output, one definition each. Every quantity inside dctwin is
// in SI units (W, J, s, K or degrees C for temperatures, kg, m3, Pa); these constants convert to
// and from the units a scenario or a report uses (MW, MWh, kWh, hours).
//
// Physical properties of the working fluids (water: cp 4186 J/(kg K), density 997 kg/m3; air:
// cp 1006 J/(kg K)) are physics, not units: they are defined once in the physics layer, in
// models/thermal/psychrometrics.h (thermal::kCpWaterJkgK, thermal::kRhoWaterKgM3,
// thermal::kCpAirJkgK), with their sources.
#pragma once

namespace dctwin::units {

inline constexpr double kWPerMW = 1e6;         // W per MW
inline constexpr double kJPerKWh = 3.6e6;      // J per kWh
inline constexpr double kJPerMWh = 3.6e9;      // J per MWh
inline constexpr double kSPerHour = 3600.0;    // s per hour
inline constexpr double kHoursPerYear = 8760.0;  // hours in a (non-leap) weather year

// Joules to MWh.
inline constexpr double mwh(double joules) { return joules / kJPerMWh; }

}  // namespace dctwin::units
