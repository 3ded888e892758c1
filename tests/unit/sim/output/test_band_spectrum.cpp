// band_spectrum (sim/output/spectrum.h): a sine on a bin gives its amplitude and A²/2 of band
// energy; a component outside the band or at 0 Hz adds nothing; too few samples give nullopt.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/output/spectrum.h"

namespace dctwin {

TEST_CASE("band_spectrum: amplitude and energy of sines inside and outside the band") {
  const double dt = 0.1;
  const std::size_t n = 1000;  // 2^3 5^3: no cut; bins every 0.01 Hz
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) * dt;
    x[i] = 50 + 3 * std::sin(2 * M_PI * 0.5 * t) + 1 * std::cos(2 * M_PI * 2.0 * t) + 7 * std::sin(2 * M_PI * 0.05 * t);
  }
  const auto b = band_spectrum(x, dt, 0.1, 20);
  REQUIRE(b);
  CHECK(b->peak == doctest::Approx(3).epsilon(1e-9));
  CHECK(b->peak_hz == doctest::Approx(0.5));
  CHECK(b->energy == doctest::Approx(3.0 * 3 / 2 + 1.0 / 2).epsilon(1e-9));  // the 0.05 Hz sine is outside
  const auto low = band_spectrum(x, dt, 0.01, 0.09);
  REQUIRE(low);
  CHECK(low->peak == doctest::Approx(7).epsilon(1e-9));
  CHECK_FALSE(band_spectrum(std::vector<double>(5, 1.0), dt, 0.1, 20));
  CHECK_FALSE(band_spectrum(x, dt, 6, 20));  // above the 5 Hz Nyquist frequency
}

}  // namespace dctwin
