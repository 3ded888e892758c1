// Spectral figures of a power series sampled at a fixed interval: the dominant oscillation
// frequency (synchronous training swings at its step frequency) and percentile amplitudes.
// FFT: Eigen's unsupported FFT module (kissfft backend), header-only, from libeigen3-dev.
#pragma once
#include <optional>
#include <vector>

namespace dctwin {

// Frequency (Hz) of the largest periodogram peak of the mean-removed series, excluding 0 Hz;
// nullopt for fewer than 8 samples or a constant series.
std::optional<double> dominant_frequency_hz(const std::vector<double>& series, double dt_s);

// The q-quantile (0..1) of the series, by linear interpolation between order statistics.
double quantile(std::vector<double> series, double q);

}  // namespace dctwin
