#include "models/workload/failures.h"

#include <cmath>
#include <limits>

namespace dctwin::workload {

double job_failure_rate_per_s(double nodes, double node_mtbf_s) { return nodes / node_mtbf_s; }

double time_to_failure_s(double rate_per_s, double u) {
  if (rate_per_s <= 0) return std::numeric_limits<double>::infinity();
  return -std::log1p(-u) / rate_per_s;
}

}  // namespace dctwin::workload
