// Seeded random-number streams. Every stochastic process (failures, jitter, weather draws) gets
// its own stream derived from (scenario seed, stream name), so adding a process never shifts the
// draws of another and runs are reproducible bit for bit. The generator is std::mt19937_64 seeded
// through SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014) over the seed and an FNV-1a hash of the stream name.
#pragma once
#include <cstdint>
#include <random>
#include <string_view>

namespace dctwin {

std::uint64_t splitmix64(std::uint64_t& state);
std::uint64_t fnv1a64(std::string_view text);

class RngStream {
 public:
  RngStream(std::uint64_t seed, std::string_view stream_name);
  std::uint64_t next_u64() { return engine_(); }
  double uniform01();                      // [0, 1)
  double exponential(double mean);          // mean > 0
  double normal(double mean, double stddev);
  std::mt19937_64& engine() { return engine_; }
  const std::mt19937_64& engine() const { return engine_; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace dctwin
