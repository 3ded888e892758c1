// Per-column envelopes of a series for charts of long runs: the time span [t_lo, t_hi] is cut into
// `columns` equal columns (about one per pixel of a chart), and each column that holds samples
// gives the smallest, mean and largest sample in it, at the mean time of those samples.
//
//   column of sample k   = floor((t[k] - t_lo) / (t_hi - t_lo) * columns), the last column
//                          closed at t_hi; samples outside [t_lo, t_hi] are left out
//   min, max             = smallest and largest finite sample of the column
//   mean                 = arithmetic mean of the column's finite samples (for timeseries.csv,
//                          whose samples are interval means of equal length, the exact mean
//                          power over the column)
// NaN samples (a gap) are skipped; a column with no finite sample is not written. When the span
// holds no more finite samples than columns, every sample is its own column (min = mean = max) and
// `reduced` is false.
//
// Pure function: no I/O, no globals. Units are the input's.
#pragma once
#include <cstddef>
#include <vector>

namespace dctwin::viz {

struct Envelope {
  std::vector<double> t, min, mean, max;
  bool reduced = false;  // false: the samples as they are
};

// `t` and `v` of equal length, t ascending. Columns below 1 count as 1.
Envelope column_envelope(const std::vector<double>& t, const std::vector<double>& v, double t_lo, double t_hi,
                         std::size_t columns);

}  // namespace dctwin::viz
