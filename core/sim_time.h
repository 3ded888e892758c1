// Simulated time: integer nanoseconds since the start of the run. Every event time in the engine is
// a SimTime, so step timelines accumulate no floating-point drift and ties between events are exact;
// conversions to and from seconds round to the nearest nanosecond.
#pragma once
#include <cstdint>

namespace dctwin {

using SimTime = std::int64_t;  // nanoseconds since the start of the run
inline constexpr SimTime kNsPerS = 1'000'000'000;
inline SimTime to_simtime(double seconds) { return static_cast<SimTime>(seconds * 1e9 + (seconds >= 0 ? 0.5 : -0.5)); }
inline double to_seconds(SimTime t) { return static_cast<double>(t) * 1e-9; }

}  // namespace dctwin
