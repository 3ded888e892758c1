// LLM serving (models/workload/llm_serving.h): busy fractions, continuous batching up to the limit,
// power, energy per output token, and the request-trace CSV reader.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/workload/llm_serving.h"

using namespace dctwin::workload;

namespace {

// Round figures for hand computation: R_p 1000 tokens/s, t(b) = 0.01 + 0.001 b s, B = 10,
// decode at half the range: P_dec = 100 + 0.5 (1000 - 100) = 550 W.
ServingParams toy() {
  ServingParams p;
  p.prefill_tokens_per_s = 1000;
  p.decode_base_s = 0.01;
  p.decode_per_sequence_s = 0.001;
  p.max_batch = 10;
  p.decode_power_fraction = 0.5;
  return p;
}

bool has_issue(const dctwin::text::ParseIssues& issues, std::size_t line, const std::string& part) {
  for (const auto& i : issues)
    if (i.line == line && (i.expected + " " + i.found).find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("llm serving: a light load decodes at batch 1 and the GPU idles the rest") {
  // 1 req/s, 100 prompt + 5 output tokens: f_p = 100/1000 = 0.1; D = 5 tokens/s, a = 0.9;
  // b = 5 * 0.01 / (0.9 - 5 * 0.001) = 0.056 -> 1; f_d = 5 * t(1) / 1 = 5 * 0.011 = 0.055.
  // P = 100 + 0.1 * 900 + 0.055 * 450 = 214.75 W.
  const auto sp = serving_point(toy(), {1, 100, 5}, 1, 1000, 100);
  CHECK(sp.served_fraction == 1.0);
  CHECK(sp.prefill_busy == doctest::Approx(0.1).epsilon(1e-12));
  CHECK(sp.batch == 1.0);
  CHECK(sp.decode_busy == doctest::Approx(0.055).epsilon(1e-12));
  CHECK(sp.gpu_w == doctest::Approx(214.75).epsilon(1e-12));
  CHECK(sp.output_tokens_per_s == doctest::Approx(5.0).epsilon(1e-12));
}

TEST_CASE("llm serving: continuous batching grows the batch until decode keeps up") {
  // 2 req/s, 100 + 50 tokens: f_p = 0.2, a = 0.8, D = 100 tokens/s;
  // b = 100 * 0.01 / (0.8 - 100 * 0.001) = 1/0.7 = 1.428571; f_d = D t(b)/b = 0.8 (all time left).
  // P = 100 + 0.2 * 900 + 0.8 * 450 = 640 W. Two GPUs at 4 req/s: the same per GPU.
  for (double gpus : {1.0, 2.0}) {
    const auto sp = serving_point(toy(), {2 * gpus, 100, 50}, gpus, 1000, 100);
    CHECK(sp.batch == doctest::Approx(1.0 / 0.7).epsilon(1e-12));
    CHECK(sp.prefill_busy == doctest::Approx(0.2).epsilon(1e-12));
    CHECK(sp.decode_busy == doctest::Approx(0.8).epsilon(1e-12));
    CHECK(sp.gpu_w == doctest::Approx(640.0).epsilon(1e-12));
  }
}

TEST_CASE("llm serving: throughput is limited by the batch limit and the excess is not served") {
  // B = 10: t(10) = 0.02 s, 500 tokens/s. c = 100/1000 + 50/500 = 0.2 GPU-s per request.
  // 10 req/s on 1 GPU: lambda c = 2 -> s = 0.5; served 5 req/s: f_p = 0.5, D = 250, a = 0.5;
  // b = 250 * 0.01 / (0.5 - 0.25) = 10 = B; f_d = 250 * 0.02 / 10 = 0.5.
  // P = 100 + 0.5 * 900 + 0.5 * 450 = 775 W; 250 output tokens/s of the 500 asked.
  CHECK(decode_tokens_per_s(toy(), 10) == doctest::Approx(500.0).epsilon(1e-12));
  CHECK(gpu_s_per_request(toy(), 100, 50) == doctest::Approx(0.2).epsilon(1e-12));
  const auto sp = serving_point(toy(), {10, 100, 50}, 1, 1000, 100);
  CHECK(sp.served_fraction == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(sp.batch == doctest::Approx(10.0).epsilon(1e-12));
  CHECK(sp.prefill_busy + sp.decode_busy == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(sp.gpu_w == doctest::Approx(775.0).epsilon(1e-12));
  CHECK(sp.output_tokens_per_s == doctest::Approx(250.0).epsilon(1e-12));
  // No requests: idle power, nothing served.
  const auto none = serving_point(toy(), {0, 100, 50}, 1, 1000, 100);
  CHECK(none.gpu_w == 100.0);
  CHECK(none.output_tokens_per_s == 0.0);
}

TEST_CASE("llm serving: inference energy per token matches the profile figures") {
  // Decode only at saturation: P_dec t(B) / B = 550 * 0.02 / 10 = 1.1 J per output token.
  const auto sp = serving_point(toy(), {1000, 0, 100}, 1, 1000, 100);
  CHECK(sp.batch == 10.0);
  CHECK(sp.gpu_w / sp.output_tokens_per_s == doctest::Approx(1.1).epsilon(1e-12));
  // With prefill: per output token add (P/O) P_pre / R_p = (100/50) * 1000/1000 = 2 J: 3.1 J.
  const auto both = serving_point(toy(), {1000, 100, 50}, 1, 1000, 100);
  CHECK(both.gpu_w / both.output_tokens_per_s == doctest::Approx(3.1).epsilon(1e-12));
}

TEST_CASE("llm serving: the default figures give the measured energy per token of an 8B model on H100") {
  // ML.ENERGY Leaderboard v3 (ml.energy blog, "LLM Inference Energy: A Longitudinal Analysis"):
  // Llama 3.1 8B on one H100, batch 64: 0.12 J per output token. The defaults with the H100
  // profile (700 W compute, 70 W idle), 1,000-token prompts and 300-token answers, at the request
  // rate where continuous batching runs at b = 64: lambda = 1 / (P/R_p + O t(64)/64).
  const ServingParams d = kServingDefaults;
  const double lambda = 1.0 / (1000.0 / d.prefill_tokens_per_s + 300.0 * decode_step_s(d, 64) / 64);
  const auto sp = serving_point(d, {lambda, 1000, 300}, 1, 700, 70);
  CHECK(sp.batch == doctest::Approx(64.0).epsilon(1e-9));
  const double j_per_token = sp.gpu_w / sp.output_tokens_per_s;
  CHECK(j_per_token == doctest::Approx(0.12).epsilon(0.25));
}

TEST_CASE("llm serving: the request trace CSV reads rows and holds each until the next") {
  dctwin::text::ParseIssues issues;
  const auto tr = parse_request_trace("# a comment\nt_s, requests_per_s,prompt_tokens,output_tokens\n0,10,1000,200\n\n3600,20,800,100\n",
                                      issues);
  REQUIRE(issues.empty());
  REQUIRE(tr.size() == 2);
  CHECK(tr[1].t_s == 3600.0);
  CHECK(tr[1].rate.requests_per_s == 20.0);
  CHECK(tr[1].rate.output_tokens == 100.0);
  CHECK(request_row_at(tr, -1) == -1);
  CHECK(request_row_at(tr, 0) == 0);
  CHECK(request_row_at(tr, 3599.9) == 0);
  CHECK(request_row_at(tr, 3600) == 1);
  CHECK(next_request_change_s(tr, 0) == 3600.0);
  CHECK(std::isinf(next_request_change_s(tr, 4000)));
  // Columns in another order, with an extra one.
  const auto tr2 = parse_request_trace("output_tokens,note,t_s,prompt_tokens,requests_per_s\n7,x,5,3,2\n", issues);
  REQUIRE(issues.empty());
  CHECK(tr2[0].t_s == 5.0);
  CHECK(tr2[0].rate.requests_per_s == 2.0);
  CHECK(tr2[0].rate.prompt_tokens == 3.0);
  CHECK(tr2[0].rate.output_tokens == 7.0);
}

TEST_CASE("llm serving: the request trace CSV reports every problem with its line") {
  dctwin::text::ParseIssues issues;
  parse_request_trace("t_s,requests_per_s,prompt_tokens\n0,1,2\n", issues);
  CHECK(has_issue(issues, 1, "output_tokens"));
  issues.clear();
  parse_request_trace("t_s,requests_per_s,prompt_tokens,output_tokens\n"
                      "0,1,100,10\n"       // 2: fine
                      "10,abc,100,10\n"    // 3: not a number
                      "20,-1,100,10\n"     // 4: out of range
                      "0,1,100,10\n"       // 5: not after row 2 (t_s 0)
                      "30,1\n"             // 6: too few fields
                      "40,1,100,nan\n",    // 7: not finite
                      issues);
  CHECK(has_issue(issues, 3, "requests_per_s"));
  CHECK(has_issue(issues, 3, "'abc'"));
  CHECK(has_issue(issues, 4, "'-1'"));
  CHECK(has_issue(issues, 5, "greater than the previous"));
  CHECK(has_issue(issues, 6, "2 fields"));
  CHECK(has_issue(issues, 7, "output_tokens"));
  CHECK(issues.size() == 5);
  issues.clear();
  parse_request_trace("", issues);
  CHECK(has_issue(issues, 0, "header"));
  issues.clear();
  parse_request_trace("t_s,requests_per_s,prompt_tokens,output_tokens\n", issues);
  CHECK(has_issue(issues, 0, "at least one row"));
  issues.clear();
  parse_request_trace(std::string("t_s\0,x", 6), issues);
  CHECK(has_issue(issues, 1, "binary"));
}
