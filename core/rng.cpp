#include "core/rng.h"

#include <cmath>

namespace dctwin {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

RngStream::RngStream(std::uint64_t seed, std::string_view stream_name) {
  std::uint64_t state = seed ^ fnv1a64(stream_name);
  std::seed_seq seq{splitmix64(state), splitmix64(state), splitmix64(state), splitmix64(state)};
  engine_.seed(seq);
}

// Explicit formulas rather than std::*_distribution, whose output is implementation-defined:
// the same seed gives the same draws with any standard library.
double RngStream::uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double RngStream::exponential(double mean) { return -mean * std::log1p(-uniform01()); }

double RngStream::normal(double mean, double stddev) {
  // Box-Muller; u1 in (0, 1].
  const double u1 = 1.0 - uniform01();
  const double u2 = uniform01();
  return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

}  // namespace dctwin
