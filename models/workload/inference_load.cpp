#include "models/workload/inference_load.h"

#include <cmath>

namespace dctwin::workload {

double diurnal_utilization(const DiurnalProfile& p, double t_s) {
  const double h = std::fmod(t_s / 3600.0, 24.0);
  return p.min_utilization + (p.max_utilization - p.min_utilization) * 0.5 * (1.0 + std::cos(2.0 * M_PI * (h - p.peak_hour) / 24.0));
}

}  // namespace dctwin::workload
