#include "viz/envelope.h"

#include <algorithm>
#include <cmath>

namespace dctwin::viz {

Envelope column_envelope(const std::vector<double>& t, const std::vector<double>& v, double t_lo, double t_hi,
                         std::size_t columns) {
  Envelope e;
  columns = std::max<std::size_t>(columns, 1);
  const std::size_t n = std::min(t.size(), v.size());
  std::size_t finite = 0;
  for (std::size_t k = 0; k < n; ++k)
    if (t[k] >= t_lo && t[k] <= t_hi && std::isfinite(v[k])) ++finite;
  if (finite <= columns || !(t_hi > t_lo)) {
    for (std::size_t k = 0; k < n; ++k) {
      if (!(t[k] >= t_lo && t[k] <= t_hi) || !std::isfinite(v[k])) continue;
      e.t.push_back(t[k]);
      e.min.push_back(v[k]);
      e.mean.push_back(v[k]);
      e.max.push_back(v[k]);
    }
    return e;
  }
  e.reduced = true;
  const double width = (t_hi - t_lo) / static_cast<double>(columns);
  std::size_t col = columns;  // the column being filled (none yet)
  double lo = 0, hi = 0, sum = 0, tsum = 0;
  std::size_t count = 0;
  auto flush = [&] {
    if (count == 0) return;
    e.t.push_back(tsum / static_cast<double>(count));
    e.min.push_back(lo);
    e.mean.push_back(sum / static_cast<double>(count));
    e.max.push_back(hi);
    count = 0;
  };
  for (std::size_t k = 0; k < n; ++k) {
    if (!(t[k] >= t_lo && t[k] <= t_hi) || !std::isfinite(v[k])) continue;
    const std::size_t c = std::min(columns - 1, static_cast<std::size_t>(std::floor((t[k] - t_lo) / width)));
    if (c != col) {
      flush();
      col = c;
      lo = hi = v[k];
      sum = tsum = 0;
    }
    lo = std::min(lo, v[k]);
    hi = std::max(hi, v[k]);
    sum += v[k];
    tsum += t[k];
    ++count;
  }
  flush();
  return e;
}

}  // namespace dctwin::viz
