// libFuzzer harness: the inference request-trace CSV reader (models/workload/llm_serving.h). Any
// input gives rows or issues with a line; when it parses, the rows are in range and strictly
// increasing in time, and the serving model on every row gives a finite power between idle and the
// prefill power. Seeds: corpus/request_trace/.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/workload/llm_serving.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dctwin::text::ParseIssues issues;
  const auto trace = dctwin::workload::parse_request_trace(text, issues);
  if (!issues.empty()) return 0;
  if (trace.empty()) __builtin_trap();
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const auto& s = trace[i];
    if (!(s.t_s >= 0) || (i > 0 && !(s.t_s > trace[i - 1].t_s))) __builtin_trap();
    const auto p = dctwin::workload::serving_point(dctwin::workload::kServingDefaults, s.rate, 8, 700, 70);
    if (!std::isfinite(p.gpu_w) || p.gpu_w < 70 - 1e-9 || p.gpu_w > 700 + 1e-9) __builtin_trap();
    if (!std::isfinite(p.output_tokens_per_s) || p.output_tokens_per_s < 0) __builtin_trap();
    if (dctwin::workload::request_row_at(trace, s.t_s) != static_cast<long>(i)) __builtin_trap();
  }
  return 0;
}
