#include "models/workload/llm_serving.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "models/text/text_fields.h"

namespace dctwin::workload {

double decode_step_s(const ServingParams& p, double batch) { return p.decode_base_s + p.decode_per_sequence_s * batch; }

double decode_tokens_per_s(const ServingParams& p, double batch) { return batch / decode_step_s(p, batch); }

double gpu_s_per_request(const ServingParams& p, double prompt_tokens, double output_tokens) {
  return prompt_tokens / p.prefill_tokens_per_s + output_tokens / decode_tokens_per_s(p, p.max_batch);
}

ServingPoint serving_point(const ServingParams& p, const RequestRate& rate, double gpus, double prefill_w, double idle_w) {
  ServingPoint sp;
  sp.gpu_w = idle_w;
  const double lambda = gpus > 0 ? rate.requests_per_s / gpus : 0.0;
  const double c = gpu_s_per_request(p, rate.prompt_tokens, rate.output_tokens);
  if (!(lambda > 0) || !(c > 0)) return sp;
  sp.served_fraction = lambda * c > 1 ? 1.0 / (lambda * c) : 1.0;
  const double served = sp.served_fraction * lambda;
  sp.prefill_busy = std::min(1.0, served * rate.prompt_tokens / p.prefill_tokens_per_s);
  const double d = served * rate.output_tokens;
  const double avail = std::max(0.0, 1.0 - sp.prefill_busy);
  if (d > 0) {
    const double denom = avail - d * p.decode_per_sequence_s;
    double b = denom > 0 ? d * p.decode_base_s / denom : p.max_batch;
    b = std::clamp(b, 1.0, p.max_batch);
    sp.batch = b;
    sp.decode_busy = std::min(avail, d * decode_step_s(p, b) / b);
    sp.output_tokens_per_s = d;
  }
  const double decode_w = idle_w + p.decode_power_fraction * (prefill_w - idle_w);
  sp.gpu_w = idle_w + sp.prefill_busy * (prefill_w - idle_w) + sp.decode_busy * (decode_w - idle_w);
  return sp;
}

namespace {

struct Column {
  const char* name;
  double lo, hi;
  const char* unit;
};
constexpr std::array<Column, 4> kColumns = {{{"t_s", 0, 3.2e8, "s"},
                                             {"requests_per_s", 0, 1e9, "1/s"},
                                             {"prompt_tokens", 0, 1e7, "tokens"},
                                             {"output_tokens", 0, 1e7, "tokens"}}};

}  // namespace

RequestTrace parse_request_trace(std::string_view text, text::ParseIssues& issues) {
  RequestTrace out;
  text::Collector c(issues);
  if (text::report_binary(text, "a text CSV request trace", c)) {
    c.finish();
    return out;
  }
  const auto lines = text::split_lines(text);
  std::size_t i = 0;
  while (i < lines.size() && text::csv_skipped(lines[i].text)) ++i;
  if (i == lines.size()) {
    c.add(0, "a header line t_s,requests_per_s,prompt_tokens,output_tokens and at least one row", "no lines");
    c.finish();
    return out;
  }
  // Header: where each required column is.
  const auto head = text::split_trimmed(lines[i].text, ',');
  std::vector<std::string_view> names;
  for (const Column& col : kColumns) names.push_back(col.name);
  const auto at = text::csv_header_columns(lines[i], names, c);
  if (!at) {
    c.finish();
    return out;
  }
  const std::size_t need = *std::max_element(at->begin(), at->end()) + 1;
  double last_t = -std::numeric_limits<double>::infinity();
  for (++i; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (text::csv_skipped(line.text)) continue;
    if (out.size() >= kMaxRequestTraceRows) {
      c.add(line.number, "at most " + std::to_string(kMaxRequestTraceRows) + " rows", "more");
      break;
    }
    const auto f = text::split_trimmed(line.text, ',');
    if (f.size() < need) {
      c.add(line.number, std::to_string(head.size()) + " comma-separated fields as in the header", std::to_string(f.size()) + " fields");
      continue;
    }
    std::array<double, 4> v{};
    bool ok = true;
    for (std::size_t k = 0; k < kColumns.size(); ++k) {
      const auto x = text::parse_double(f[(*at)[k]]);
      const Column& col = kColumns[k];
      if (!x || *x < col.lo || *x > col.hi) {
        c.add(line.number, std::string(col.name) + " a number in [" + text::fmt(col.lo) + ", " + text::fmt(col.hi) + "] " + col.unit,
              text::quote(f[(*at)[k]]));
        ok = false;
      } else {
        v[k] = *x;
      }
    }
    if (!ok) continue;
    if (v[0] <= last_t) {
      c.add(line.number, "t_s greater than the previous row's (" + text::fmt(last_t) + " s)", text::fmt(v[0]));
      continue;
    }
    last_t = v[0];
    out.push_back({v[0], {v[1], v[2], v[3]}});
  }
  if (out.empty() && !c.any()) c.add(0, "at least one row after the header", "none");
  c.finish();
  return out;
}

long request_row_at(const RequestTrace& trace, double t_s) {
  const auto it = std::upper_bound(trace.begin(), trace.end(), t_s, [](double t, const RequestSample& s) { return t < s.t_s; });
  return static_cast<long>(it - trace.begin()) - 1;
}

double next_request_change_s(const RequestTrace& trace, double t_s) {
  const auto it = std::upper_bound(trace.begin(), trace.end(), t_s, [](double t, const RequestSample& s) { return t < s.t_s; });
  return it == trace.end() ? std::numeric_limits<double>::infinity() : it->t_s;
}

}  // namespace dctwin::workload
