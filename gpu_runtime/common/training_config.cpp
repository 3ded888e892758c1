// gpu_runtime/common/training_config.cpp — read_training_config (training_step.h): pure C++.
#include "gpu_runtime/training_step.h"
#include "core/json_input.h"
#include "core/json_reader.h"

#include <algorithm>

namespace dctwin::gpu {

std::vector<int> device_list(const TrainingStepConfig& c) { return c.devices.empty() ? std::vector<int>{c.device} : c.devices; }

std::string effective_comm_mode(const TrainingStepConfig& c) {
  if (c.comm_mode != "auto") return c.comm_mode;
  return device_list(c).size() > 1 ? "nccl" : "traffic";
}

TrainingStepConfig read_training_config(const std::string& path) {
  TrainingStepConfig c;
  Problems p;
  const std::string text = read_text_file(path, p);
  if (!p.empty()) throw InputError(p);
  const json doc = parse_json(text, path, p);
  if (!p.empty()) throw InputError(p);
  JsonReader r(doc, "$", p, path);
  auto opt_int = [&](const char* key, int& v, int lo, int hi) {
    if (r.has(key)) v = static_cast<int>(r.integer(key, lo, hi));
  };
  auto opt_num = [&](const char* key, double& v, double lo, double hi) {
    if (auto x = r.optional_number(key, lo, hi)) v = *x;
  };
  opt_int("device", c.device, 0, 1023);
  if (const json* d = r.raw("devices")) {
    if (r.has("device")) r.problem("devices", "either device or devices, not both", "both");
    if (!d->is_array() || d->empty() || d->size() > 64) {
      r.problem("devices", "an array of 1 to 64 CUDA device indices", JsonReader::describe(d));
    } else {
      for (std::size_t i = 0; i < d->size(); ++i) {
        const json& v = (*d)[i];
        const std::string at = r.key_path("devices") + "[" + std::to_string(i) + "]";
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 1023)
          p.add(path, at, "a CUDA device index from 0 to 1023", JsonReader::describe(&v));
        else if (std::find(c.devices.begin(), c.devices.end(), v.get<int>()) != c.devices.end())
          p.add(path, at, "a device not listed before", std::to_string(v.get<int>()) + " (repeated)");
        else
          c.devices.push_back(v.get<int>());
      }
    }
  }
  opt_int("hidden", c.hidden, 64, 65536);
  opt_int("ffn", c.ffn, 64, 262144);
  opt_int("heads", c.heads, 1, 1024);
  opt_int("seq_len", c.seq_len, 16, 131072);
  opt_int("micro_batch", c.micro_batch, 1, 1024);
  opt_int("layers", c.layers, 1, 1024);
  opt_int("grad_accum", c.grad_accum, 1, 1024);
  if (r.has("comm_mode")) c.comm_mode = r.choice("comm_mode", {"auto", "nccl", "traffic", "idle"});
  opt_num("comm_s", c.comm_s, 0, 3600);
  opt_num("comm_bandwidth_gbs", c.comm_bandwidth_gbs, 1, 100000);
  opt_int("optimizer_repeats", c.optimizer_repeats, 1, 10000);
  opt_num("lead_idle_s", c.lead_idle_s, 0, 3600);
  opt_num("tail_idle_s", c.tail_idle_s, 0, 3600);
  r.finish();
  if (p.empty() && c.hidden % c.heads != 0)
    p.add(path, "$.heads", "a divisor of hidden (" + std::to_string(c.hidden) + ")", std::to_string(c.heads));
  if (!p.empty()) throw InputError(p);
  return c;
}

}  // namespace dctwin::gpu
