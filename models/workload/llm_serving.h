#pragma once
/**
 * @file llm_serving.h
 * @brief LLM serving on one GPU: prefill and decode phases, continuous batching up to a limit, GPU
 * power from the busy fractions of the two phases; and the request-rate trace (CSV) it is fed from.
 *
 * ## Equations (quasi-steady over an interval of constant request rate; per GPU)
 *
 *     λ   = requests_per_s / gpus                         request rate per GPU (1/s)
 *     t(b) = t0 + t1 · b                                  decode iteration time at batch b (s):
 *                                                         weights read once (t0), KV cache per sequence (t1)
 *     c   = P / R_p + O · t(B) / B                        GPU-seconds per request at the batch limit B
 *     s   = min(1, 1 / (λ c))                             fraction of requests served (the rest exceed capacity)
 *     f_p = s λ P / R_p                                   prefill busy fraction (compute-bound: R_p tokens/s)
 *     D   = s λ O                                         output tokens per second to decode
 *     a   = 1 − f_p                                       time left for decode
 *     b   = clamp(D t0 / (a − D t1), 1, B)                continuous batching: the batch that just keeps up
 *                                                         (Little's law, b sequences each one token per t(b));
 *                                                         B where a ≤ D t1
 *     f_d = min(a, D t(b) / b)                            decode busy fraction (= a for b > 1)
 *     P_gpu = P_idle + f_p (P_pre − P_idle) + f_d (P_dec − P_idle),  P_dec = P_idle + φ (P_pre − P_idle)
 *     energy per output token at saturation (decode only, b = B): P_dec · t(B) / B
 *
 * ## Parameters
 *
 * | name                     | unit     | meaning                                              |
 * | ------------------------ | -------- | ---------------------------------------------------- |
 * | prefill_tokens_per_s R_p | tokens/s | prompt tokens one GPU processes per second (compute-bound) |
 * | decode_base_s t0         | s        | decode iteration time independent of batch (weights read)  |
 * | decode_per_sequence_s t1 | s        | added iteration time per sequence in the batch (KV cache)  |
 * | max_batch B              | -        | sequences decoded together at most (vLLM `max_num_seqs`)   |
 * | decode_power_fraction φ  | -        | decode power as a fraction of the prefill range above idle |
 * | P_pre, P_idle            | W        | the GPU profile's compute-phase (after any cap) and idle power |
 * | P, O                     | tokens   | mean prompt and output tokens per request                  |
 *
 * ## Defaults (kServingDefaults): a Llama-3.1-8B-class model in BF16, one replica per H100 SXM
 *
 *  - R_p = 2 N / (peak · MFU) inverted: 989e12 FLOP/s (NVIDIA H100 datasheet, dense BF16) × 0.5 MFU
 *    (assumption) / (2 × 8.03e9 FLOP per token; Llama 3.1 8B, Meta model card) = 30,800 tokens/s.
 *  - t0 = weights / achieved bandwidth = 16.06e9 B / (3.35e12 B/s (H100 SXM datasheet) × 0.8
 *    (assumption: achieved fraction of peak HBM bandwidth)) = 5.99 ms.
 *  - t1 = KV bytes per token × mean context / bandwidth = 131,072 B (32 layers × 8 KV heads × 128 ×
 *    2 (K, V) × 2 B; Llama 3.1 8B config) × 1,150 tokens (assumption: 1,000-token prompt + half a
 *    300-token answer) / 2.68e12 B/s = 56.2 µs.
 *  - B = 256: vLLM's default `max_num_seqs` (vLLM engine arguments documentation).
 *  - φ = 0.37: decode is memory-bound and draws 137–300 W on a 700 W H200 (arXiv 2605.11999, "The
 *    Illusion of Power Capping in LLM Decode"); (300 − 70) / (700 − 70) with the H100 profile's
 *    idle 70 W — the upper end, an assumption that the ratio carries to other GPUs.
 *  - Check against a measurement: at batch 64 these give 6,670 output tokens/s; with the H100
 *    profile's 700 W prefill, a 1,000-token prompt and a 300-token answer the GPU energy per output
 *    token is 0.045 J (decode) + 0.076 J (prefill) ≈ 0.12 J, the ML.ENERGY Leaderboard v3 figure for
 *    Llama 3.1 8B on H100 at batch 64 (ml.energy blog, "LLM Inference Energy: A Longitudinal
 *    Analysis": 0.12 J/token). tests/unit/models/test_llm_serving.cpp checks this within 25 %.
 *  Prefill compute-bound and decode memory-bound, with decode drawing less power: Patel et al.,
 *  "Splitwise", ISCA 2024.
 *
 * ## Validity
 *
 * Quasi-steady: each interval of constant rate is much longer than a request (seconds), so queues
 * are in equilibrium; no queueing delay, latency targets, preemption or KV-cache capacity limit
 * beyond B; prefill and decode share the GPU in time (no chunked-prefill overlap, no
 * disaggregation); t(b) linear in b (roofline, memory-bound decode: valid while b·t1 stays below
 * the compute time of the batch). Requests above capacity are dropped (s < 1), not queued.
 */
#include <cstddef>
#include <string_view>
#include <vector>

#include "models/text/parse_issue.h"

namespace dctwin::workload {

struct ServingParams {
  double prefill_tokens_per_s = 30800;     // R_p
  double decode_base_s = 5.99e-3;          // t0
  double decode_per_sequence_s = 5.62e-5;  // t1
  double max_batch = 256;                  // B
  double decode_power_fraction = 0.37;     // φ
};
inline constexpr ServingParams kServingDefaults{};

// Mean request figures over an interval (for the whole service).
struct RequestRate {
  double requests_per_s = 0;
  double prompt_tokens = 0;
  double output_tokens = 0;
};

struct ServingPoint {
  double served_fraction = 1;          // s
  double prefill_busy = 0;             // f_p
  double decode_busy = 0;              // f_d
  double batch = 0;                    // b (0 when nothing is decoded)
  double output_tokens_per_s = 0;      // per GPU, served
  double gpu_w = 0;                    // per GPU
};

// Decode iteration time t(b) and decode throughput b / t(b) per GPU.
double decode_step_s(const ServingParams& p, double batch);
double decode_tokens_per_s(const ServingParams& p, double batch);
// GPU-seconds per request at the batch limit (c); requests/s one GPU serves at most is 1 / c.
double gpu_s_per_request(const ServingParams& p, double prompt_tokens, double output_tokens);
// The operating point of `gpus` GPUs serving `rate`; prefill_w, idle_w per GPU.
ServingPoint serving_point(const ServingParams& p, const RequestRate& rate, double gpus, double prefill_w, double idle_w);

// A request-rate trace: rows of (t_s, rate), t_s strictly increasing; each row holds until the next,
// the last to the end; before the first row there are no requests.
struct RequestSample {
  double t_s = 0;
  RequestRate rate;
};
using RequestTrace = std::vector<RequestSample>;

// CSV text: a header naming the columns t_s, requests_per_s, prompt_tokens, output_tokens (in any
// order, more columns ignored), then one row per line; '#' lines and blank lines are skipped.
// t_s 0 .. 3.2e8 strictly increasing, requests_per_s 0 .. 1e9, tokens 0 .. 1e7. Every problem is
// added to `issues` (line, expected, found); at most kMaxRequestTraceRows rows.
inline constexpr std::size_t kMaxRequestTraceRows = 1000000;
RequestTrace parse_request_trace(std::string_view text, text::ParseIssues& issues);
// The row in force at t (index), or -1 before the first; and the time of the next row after t
// (+inf when none).
long request_row_at(const RequestTrace& trace, double t_s);
double next_request_change_s(const RequestTrace& trace, double t_s);

}  // namespace dctwin::workload
