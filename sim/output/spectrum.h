// Spectral figures of a power series sampled at a fixed interval: the dominant oscillation
// frequency (synchronous training swings at its step frequency) and percentile amplitudes.
// FFT: Eigen's unsupported FFT module (kissfft backend), header-only, from libeigen3-dev.
//
// Aliasing. A series of interval means at step dt holds frequencies up to the Nyquist frequency
// f_N = 1 / (2 dt) (Shannon-Nyquist sampling theorem; e.g. Oppenheim & Schafer, Discrete-Time
// Signal Processing, 3rd ed., sec. 4.2). A component at f >= f_N folds to |f - m / dt| for the
// integer m that brings it into 0..f_N: a 0.4 Hz training step sampled every 2 s shows at 0.1 Hz,
// every 2.5 s at 0 Hz. So a training step of period T is resolved only when dt < T / 2 (strict: at
// dt = T / 2 the step sits on f_N and its amplitude depends on its phase against the bins).
// Interval means also damp a component by |sinc(f dt)| = |sin(pi f dt) / (pi f dt)|, 0.64 at f_N:
// that is why percentile amplitudes are taken from the exact power (sim/engine/level_distribution.h),
// not from this series.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace dctwin {

// Frequency (Hz) of the largest periodogram peak of the mean-removed series, excluding 0 Hz;
// nullopt for fewer than 8 samples or a constant series.
std::optional<double> dominant_frequency_hz(const std::vector<double>& series, double dt_s);

// Why a series at step dt_s cannot resolve a periodic load of period period_s (dt_s >= period_s / 2,
// above), naming the output step it needs; nullopt when it can (or period_s is not positive).
std::optional<std::string> unresolved_period_note(double dt_s, double period_s);

// The spectrum of a series in a band. The mean-removed series x_i (N samples at dt, cut to a length
// with prime factors 2, 3, 5 as above) has DFT X_k; component k sits at f_k = k / (N dt) with
// amplitude A_k = 2 |X_k| / N (a sine of amplitude A on a bin gives A_k = A) and carries A_k² / 2
// of the series' variance (Parseval). Over the bins with f_lo <= f_k <= f_hi and f_k < f_N:
//   energy = Σ A_k² / 2 (the band's share of the variance, unit²), peak = max A_k, peak_hz its f_k.
struct BandSpectrum {
  double energy = 0;
  double peak = 0;
  double peak_hz = 0;
};
// nullopt for fewer than 8 samples or no bin inside the band.
std::optional<BandSpectrum> band_spectrum(const std::vector<double>& series, double dt_s, double f_lo_hz, double f_hi_hz);

// The q-quantile (0..1) of the series, by linear interpolation between order statistics.
double quantile(std::vector<double> series, double q);

}  // namespace dctwin
