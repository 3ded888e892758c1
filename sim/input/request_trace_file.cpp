#include "sim/input/request_trace_file.h"

#include "core/json_input.h"
#include "core/rng.h"
#include "sim/input/weather_file.h"

namespace dctwin {

workload::RequestTrace load_request_trace_file(const std::string& path, std::uint64_t* content_hash) {
  Problems problems;
  const std::string text = read_text_file(path, problems, kMaxRequestTraceBytes);
  if (!problems.empty()) throw InputError(problems);
  if (content_hash) *content_hash = fnv1a64(text);
  text::ParseIssues issues;
  auto trace = workload::parse_request_trace(text, issues);
  add_weather_issues(problems, path, issues);  // the same "line N" form as the weather files
  if (!problems.empty()) throw InputError(problems);
  return trace;
}

}  // namespace dctwin
