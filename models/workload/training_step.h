#pragma once
/**
 * @file training_step.h
 * @brief Time of one synchronous training step of a dense transformer from what its users know:
 *        parameters, tokens per step, parallelism, the GPU's peak and achieved MFU, and the
 *        communication times of the step's collectives.
 *
 * ## Equations
 *
 *     FLOPs per step       F = 6 · N_params · T_step                 (forward 2NT + backward 4NT)
 *     compute time         t_c = F / (G · P_peak · MFU)               (G GPUs, P_peak FLOP/s each)
 *     micro-batches        m = T_step / (DP · seq_len · micro_batch)  (per pipeline, per step)
 *     pipeline bubble      t_b = (PP − 1) / m · t_c                   (1F1B schedule)
 *     exposed DP comm      t_dp = (1 − overlap) · t_allreduce         (gradient all-reduce / RS+AG)
 *     exposed comm phase   t_x = t_b + t_dp + t_pp                    (GPUs wait at low power)
 *     optimizer            t_o = (N_params / (TP · PP)) · B_opt / BW_hbm
 *                          (B_opt bytes of optimizer-state traffic per parameter; 16 for AdamW with
 *                          fp32 master weights and moments read and written once; memory-bound)
 *     step period          t_step = t_c + t_x + t_o
 *
 * Tensor-parallel collectives run inside the compute phase (they are on the critical path between
 * the layers' GEMMs and are counted in the achieved MFU the user gives).
 *
 * ## Parameters
 *
 * | name                     | unit    | meaning                                                   |
 * | ------------------------ | ------- | --------------------------------------------------------- |
 * | parameters               | -       | N_params, model parameters                                |
 * | tokens_per_step          | -       | T_step, global batch in tokens                            |
 * | sequence_length          | -       | tokens per sample                                         |
 * | micro_batch              | -       | samples per micro-batch                                   |
 * | tp, pp, dp               | -       | tensor, pipeline, data parallel degrees (G = tp·pp·dp)    |
 * | mfu                      | -       | achieved model FLOPs utilization in (0, 1]                |
 * | peak_flops               | FLOP/s  | the GPU's dense BF16 peak                                 |
 * | overlap                  | -       | share of the DP all-reduce hidden behind compute, [0, 1]  |
 * | allreduce_s, pp_comm_s   | s       | collective times (from SimGrid or analytic)               |
 * | optimizer_bytes_per_param| B       | B_opt                                                     |
 * | hbm_bytes_s              | B/s     | the GPU's memory bandwidth                                |
 *
 * ## Sources and accuracy
 *
 * 6·N·T: Kaplan et al., "Scaling Laws for Neural Language Models", arXiv 2001.08361 (2020), §2.1;
 * Narayanan et al., "Efficient Large-Scale Language Model Training on GPU Clusters Using
 * Megatron-LM", SC21 (the bubble (p−1)/m of the 1F1B schedule, and MFU accounting). Ignores the
 * attention term 12·L·h·s (≤ a few % at common sizes), activation recomputation (raises FLOPs by
 * ~1/3 when used: fold it into MFU), and imbalance between pipeline stages.
 */

namespace dctwin::workload {

struct TrainingShape {
  double parameters = 0;
  double tokens_per_step = 0;
  double sequence_length = 0;
  double micro_batch = 1;
  int tp = 1, pp = 1, dp = 1;
  double mfu = 0.4;
  double peak_flops = 0;
  double overlap = 0;
  double optimizer_bytes_per_param = 16;
  double hbm_bytes_s = 0;
};

struct StepTimes {
  double compute_s = 0;
  double bubble_s = 0;
  double exposed_dp_s = 0;
  double pp_comm_s = 0;
  double optimizer_s = 0;
  double microbatches = 0;
  double communication_s() const { return bubble_s + exposed_dp_s + pp_comm_s; }
  double period_s() const { return compute_s + communication_s() + optimizer_s; }
};

double step_flops(const TrainingShape& s);
// Gradient bytes each data-parallel rank reduces per step: parameters / (tp·pp) · grad_bytes.
double dp_gradient_bytes(const TrainingShape& s, double grad_bytes_per_param);
StepTimes step_times(const TrainingShape& s, double allreduce_s, double pp_comm_s);

}  // namespace dctwin::workload
