#include "models/workload/training_step.h"

#include <algorithm>

namespace dctwin::workload {

double step_flops(const TrainingShape& s) { return 6.0 * s.parameters * s.tokens_per_step; }

double dp_gradient_bytes(const TrainingShape& s, double grad_bytes_per_param) {
  return s.parameters / (static_cast<double>(s.tp) * s.pp) * grad_bytes_per_param;
}

StepTimes step_times(const TrainingShape& s, double allreduce_s, double pp_comm_s) {
  StepTimes t;
  const double gpus = static_cast<double>(s.tp) * s.pp * s.dp;
  t.mfu_period_s = step_flops(s) / (gpus * s.peak_flops * s.mfu);
  t.microbatches = s.tokens_per_step / (s.dp * s.sequence_length * s.micro_batch);
  const double bubble_ratio = s.pp > 1 ? (s.pp - 1) / std::max(1.0, t.microbatches) : 0.0;
  t.exposed_dp_s = (1.0 - s.overlap) * allreduce_s;
  t.pp_comm_s = s.pp > 1 ? pp_comm_s : 0.0;
  t.optimizer_s = s.hbm_bytes_s > 0
                      ? s.parameters / (static_cast<double>(s.tp) * s.pp) * s.optimizer_bytes_per_param / s.hbm_bytes_s
                      : 0.0;
  t.compute_s = (t.mfu_period_s - t.exposed_dp_s - t.pp_comm_s - t.optimizer_s) / (1.0 + bubble_ratio);
  t.bubble_s = t.compute_s > 0 ? bubble_ratio * t.compute_s : 0.0;
  return t;
}

double pipeline_span_w(const StepTimes& t, double compute_w, double wait_w) {
  const double span = t.compute_s + t.bubble_s;
  if (t.bubble_s <= 0 || span <= 0) return compute_w;
  return (t.compute_s * compute_w + t.bubble_s * wait_w) / span;
}

}  // namespace dctwin::workload
