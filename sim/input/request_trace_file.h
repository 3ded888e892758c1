// Loading an inference request-rate trace (CSV: t_s, requests_per_s, prompt_tokens, output_tokens)
// by path. The parser is workload::parse_request_trace (models/workload/llm_serving.h); every problem
// is one line "FILE: line N: expected ..., found ..." and the loader throws InputError (exit 2).
#pragma once
#include <cstdint>
#include <string>

#include "models/workload/llm_serving.h"

namespace dctwin {

inline constexpr std::size_t kMaxRequestTraceBytes = 64u << 20;

// `content_hash` (optional) gets the FNV-1a hash of the file's bytes: the scenario's hash covers
// them, so a checkpoint is refused when the trace changed (sim/engine/checkpoint.h).
workload::RequestTrace load_request_trace_file(const std::string& path, std::uint64_t* content_hash = nullptr);

}  // namespace dctwin
