// The figures a utility asks about, computed from a power series sampled at a fixed interval
// (timeseries.csv: each sample is the exact mean power over its interval, so block means of
// samples are exact means over longer intervals).
//
//   demand at interval T  = mean power over each complete, clock-aligned interval of length T
//                           (intervals start at t = 0: [0, T), [T, 2T), ...; an incomplete last
//                           interval is left out, as a utility meter would not bill it)
//   load factor           = mean power / peak demand at the chosen interval
//   ramp rate at T        = (D[k+1] - D[k]) / T between consecutive interval means, MW/s
//   Welch PSD             = mean of Hann-windowed, mean-removed periodograms of segments of
//                           `segment` samples overlapping by half; one-sided density, MW^2/Hz
//                           (Welch 1967, IEEE Trans. Audio Electroacoustics 15(2):70-73)
//   in-band share         = integral of the PSD over [f_lo, f_hi] / integral over (0, Nyquist];
//                           by Parseval that is the share of the series' variance in the band
//   load-duration curve   = the samples sorted from highest to lowest, against the share of time
//                           the load is at or above each value
//   min/max decimation    = per display bucket, the smallest and largest sample in time order,
//                           so every peak and trough of the full series stays visible
//   envelope              = per display column (an equal run of samples): the smallest sample,
//                           the mean of the samples and the largest sample; NaN samples (gaps)
//                           left out, a column of gaps is a gap
//   excursions above L    = runs of consecutive samples strictly above L: their count, the
//                           samples in them and their share of all samples (share of time)
//   sample step           = x[k] - x[k-1]: the change from one sample to the next
//   period demand         = per consecutive period of fixed length from the start (the last may
//                           be partial): the highest interval mean in it, and its energy
//                           = mean * samples * dt / 3600 (unit of x times hours)
//
// Pure functions: no I/O, no globals. Units are whatever the input is in (the report uses MW, s).
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

namespace dctwin::viz {

// Number of samples per interval when interval_s is a whole multiple of dt_s (to 1e-6
// relative), else nullopt.
std::optional<std::size_t> samples_per_interval(double dt_s, double interval_s);

// Means of the complete, clock-aligned intervals of interval_s; empty when interval_s is not a
// whole multiple of dt_s or the series is shorter than one interval.
std::vector<double> interval_means(const std::vector<double>& x, double dt_s, double interval_s);

struct Peak {
  double value = 0;
  double t_s = 0;          // start of the interval that holds the peak
  std::size_t count = 0;   // number of complete intervals
};
// The highest interval mean and when its interval starts; nullopt when there is no complete
// interval (interval_s longer than the series, or not a multiple of dt_s).
std::optional<Peak> peak_demand(const std::vector<double>& x, double dt_s, double interval_s);

double mean(const std::vector<double>& x);
// mean / peak; nullopt when the peak is not positive.
std::optional<double> load_factor(double mean_value, double peak_value);

// (D[k+1] - D[k]) / interval_s for consecutive interval means (per second).
std::vector<double> ramp_rates(const std::vector<double>& x, double dt_s, double interval_s);

struct RampExtremes {
  double max_up = 0;      // largest rise per second (>= 0)
  double max_down = 0;    // largest fall per second, as a positive number (>= 0)
  double t_up_s = 0;      // start of the later interval of the largest rise
  double t_down_s = 0;
};
std::optional<RampExtremes> ramp_extremes(const std::vector<double>& x, double dt_s, double interval_s);

struct Psd {
  std::vector<double> f_hz;     // 0, df, 2 df, ..., Nyquist
  std::vector<double> density;  // one-sided, (unit of x)^2 / Hz
  std::size_t segment = 0;      // samples per segment
  std::size_t segments = 0;     // number of segments averaged
  double df_hz = 0;
};
// Welch PSD with segments of `segment` samples (cut to the series length), Hann window, 50 %
// overlap, each segment's mean removed. Empty when the series has fewer than 8 samples.
Psd welch_psd(const std::vector<double>& x, double dt_s, std::size_t segment);

// A segment length (a power of two) fine enough to resolve f_lo_hz with about 20 bins below it,
// at most the series length; at least 8 when the series allows it.
std::size_t welch_segment_for(std::size_t n, double dt_s, double f_lo_hz);

// Share (0..1) of the PSD's integral over (0, Nyquist] that lies in [f_lo, f_hi] (bins whose
// centre is inside); nullopt when the integral is zero (a constant series).
std::optional<double> band_share(const Psd& psd, double f_lo_hz, double f_hi_hz);

// Frequency of the largest PSD value above 0 Hz; nullopt when the PSD is all zero.
std::optional<double> psd_peak_hz(const Psd& psd);

// Standard deviation of the PSD's integral over (0, Nyquist] (sqrt of the variance it holds).
double psd_rms(const Psd& psd);

struct Curve {
  std::vector<double> x;  // share of time, % (0..100)
  std::vector<double> y;  // value at or above which the load is for that share of time
};
// Load-duration curve with at most `points` points (the series sorted descending and sampled
// evenly; the first point is the maximum, the last the minimum).
Curve load_duration_curve(const std::vector<double>& x, std::size_t points);

struct Decimated {
  std::vector<double> t;
  std::vector<double> v;
};
// Min/max decimation into `buckets` equal runs of samples (t_k = t0 + k dt). A series of at most
// 2 * buckets samples is returned whole. Within a bucket the min and max are emitted in time order.
Decimated minmax_decimate(const std::vector<double>& x, double t0_s, double dt_s, std::size_t buckets);

struct Envelope {
  std::vector<double> t;                // start of each column's first sample
  std::vector<double> min, mean, max;   // NaN for a column holding only gaps
  double t_end = 0;                     // end of the last sample: t0 + n dt
};
// The envelope of `columns` equal runs of samples (sample k at t0 + k dt; column b holds samples
// [b n / columns, (b + 1) n / columns)). A series of at most `columns` samples has one column per
// sample (min = mean = max = the sample). Empty for an empty series or columns = 0.
Envelope envelope(const std::vector<double>& x, double t0_s, double dt_s, std::size_t columns);

struct Excursions {
  std::size_t count = 0;    // runs of consecutive samples above the limit
  std::size_t samples = 0;  // samples above the limit
  double share = 0;         // samples / all samples (0..1): the share of time above
  double longest_s = 0;     // the longest run, samples x dt
  double first_t_s = 0;     // start of the first run (t0 + k dt)
};
// Runs of samples strictly above `limit` (NaN samples are not above it).
Excursions excursions_above(const std::vector<double>& x, double limit, double t0_s, double dt_s);

struct Step {
  std::size_t k = 0;  // index of the later sample
  double delta = 0;   // x[k] - x[k-1]
};
// Every sample-to-sample change, k = 1 .. n-1, in time order.
std::vector<Step> sample_steps(const std::vector<double>& x);
// The first of the steps with the largest |delta|; {0, 0} when no step changes the value.
Step largest_step(const std::vector<Step>& steps);

struct PeriodDemand {
  std::size_t samples = 0;  // samples in the period
  bool partial = false;     // the last period, shorter than period_s
  std::optional<Peak> peak; // highest interval_s mean; t_s from the period's start
  double energy = 0;        // mean * samples * dt_s / 3600 (unit of x times hours)
};
// Consecutive periods of period_s (rounded to whole samples) from the first sample; empty when a
// period is shorter than one sample.
std::vector<PeriodDemand> period_demands(const std::vector<double>& x, double dt_s, double period_s, double interval_s);

struct Histogram {
  std::vector<double> lower;  // bin lower edges
  double width = 0;
  std::vector<std::size_t> count;
};
// Equal-width histogram over [min, max] of the values; empty for an empty input.
Histogram histogram(const std::vector<double>& values, std::size_t bins);

}  // namespace dctwin::viz
