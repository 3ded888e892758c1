#pragma once
/**
 * @file training_step.h
 * @brief Time of one synchronous training step of a dense transformer from what its users know:
 *        parameters, tokens per step, parallelism, the GPU's peak and the achieved end-to-end
 *        MFU, and the communication times of the step's collectives.
 *
 * ## Equations
 *
 *     FLOPs per step       F = 6 · N_params · T_step                 (forward 2NT + backward 4NT)
 *     step period          t_step = F / (G · P_peak · MFU)            (G GPUs, P_peak FLOP/s each;
 *                          MFU is end to end, as published: model FLOPs per step over the whole
 *                          step's wall time at peak, bubble, communication and optimizer included)
 *     micro-batches        m = T_step / (DP · seq_len · micro_batch)  (per pipeline, per step)
 *     bubble ratio         b = (PP − 1) / max(1, m)                   (1F1B schedule; 0 for PP = 1)
 *     exposed DP comm      t_dp = (1 − overlap) · t_allreduce         (gradient all-reduce / RS+AG)
 *     optimizer            t_o = (N_params / (TP · PP)) · B_opt / BW_hbm
 *                          (B_opt bytes of optimizer-state traffic per parameter; 16 for AdamW with
 *                          fp32 master weights and moments read and written once; memory-bound)
 *     compute time         t_c = (t_step − t_dp − t_pp − t_o) / (1 + b)   (what remains; must be > 0)
 *     pipeline bubble      t_b = b · t_c
 *     so that              t_step = t_c + t_b + t_dp + t_pp + t_o
 *
 * Tensor-parallel collectives run inside the compute phase (they are on the critical path between
 * the layers' GEMMs). When the modelled communication and optimizer alone take t_step or more,
 * the MFU is not reachable with this layout (compute_s ≤ 0; the caller rejects the job).
 *
 * ## Pipeline bubble power (staggered stages)
 *
 * In a 1F1B pipeline each stage idles (p − 1) micro-batch slots per step, but at different times:
 * the last stages wait at the fill, the first ones at the drain and between their warm-up
 * forwards and first backwards. The job's GPUs never all wait together, so the bubble is not a
 * job-wide low-power phase. The model spreads it over the forward-backward span t_c + t_b, drawn
 * at the stage average
 *
 *     P_span = (t_c · P_compute + t_b · P_wait) / (t_c + t_b)
 *
 * (energy exact). The job's low-power phase shrinks from t_b + t_dp + t_pp to t_dp + t_pp, and
 * the span's power is P_compute − (P_compute − P_wait) · b / (1 + b) instead of P_compute.
 * Error: the real stage-summed power is not flat over the span; it ranges from about
 * P_wait + (P_compute − P_wait) / PP (one stage busy, at the fill's first slot) to P_compute (all
 * stages busy in the steady 1F1B phase), so instantaneous job power can differ from P_span by up to
 * (P_compute − P_wait) · b / (1 + b) above and (P_compute − P_wait) · (1 − 1/PP) below, for
 * about one micro-batch slot at a time; means over a step or longer are exact.
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
 * | mfu                      | -       | achieved end-to-end model FLOPs utilization in (0, 1]     |
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
 * Megatron-LM", SC21 (the bubble (p−1)/m of the 1F1B schedule, its staggering across stages
 * (its schedule diagrams), and MFU accounting). End-to-end MFU is how published figures are stated:
 * Chowdhery et al., "PaLM", arXiv 2204.02311 (2022), §4.1 and App. B (46.2 % for PaLM 540B);
 * Dubey et al., "The Llama 3 Herd of Models", arXiv 2407.21783 (2024), §3.3.2 (38–43 % BF16
 * MFU). Ignores the
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
  double mfu_period_s = 0;  // F / (G · P_peak · MFU): the period the end-to-end MFU sets
  bool feasible() const { return compute_s > 0; }  // false: communication and optimizer fill the period
  double communication_s() const { return bubble_s + exposed_dp_s + pp_comm_s; }
  double exposed_s() const { return exposed_dp_s + pp_comm_s; }  // the job-wide wait (bubbles are staggered)
  double period_s() const { return compute_s + communication_s() + optimizer_s; }
};

double step_flops(const TrainingShape& s);
// Gradient bytes each data-parallel rank reduces per step: parameters / (tp·pp) · grad_bytes.
double dp_gradient_bytes(const TrainingShape& s, double grad_bytes_per_param);
StepTimes step_times(const TrainingShape& s, double allreduce_s, double pp_comm_s);
// The per-GPU power of the forward-backward span with the stages' staggered bubbles averaged in:
// (t_c · compute_w + t_b · wait_w) / (t_c + t_b); compute_w when there is no bubble.
double pipeline_span_w(const StepTimes& t, double compute_w, double wait_w);

}  // namespace dctwin::workload
