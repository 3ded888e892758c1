#include "core/json_reader.h"

#include <cmath>
#include <sstream>

namespace dctwin {

namespace {
std::string fmt_num(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}
// The unit of a value read at `key` of the object at `path`: the key's, else the one the object's
// own key names (W for compute in $.gpu_profiles.x.phase_power_w).
std::string value_unit(const std::string& key, const std::string& path) {
  std::string unit = JsonReader::unit_of(key);
  if (unit.empty()) {
    const auto dot = path.find_last_of(".[");
    if (dot != std::string::npos && path[dot] == '.') unit = JsonReader::unit_of(path.substr(dot + 1));
  }
  return unit;
}
std::string range_text(double min, double max, const std::string& unit);
// "a number in [10, 40] °C"; a unitless range inside [0, 1] is "a fraction in [0, 1]".
std::string number_text(const std::string& key, const std::string& path, double min, double max) {
  const std::string unit = value_unit(key, path);
  const bool fraction = unit.empty() && min >= 0 && max <= 1;
  return (fraction ? "a fraction " : "a number ") + range_text(min, max, unit);
}
std::string range_text(double min, double max, const std::string& unit) {
  std::string u = unit.empty() ? "" : " " + unit;
  const bool has_min = min > -1e300, has_max = max < 1e300;
  if (has_min && has_max) return "in [" + fmt_num(min) + ", " + fmt_num(max) + "]" + u;
  if (has_min) return ">= " + fmt_num(min) + u;
  if (has_max) return "<= " + fmt_num(max) + u;
  return unit.empty() ? "" : "(" + unit + ")";
}
}  // namespace

JsonReader::JsonReader(const json& node, std::string path, Problems& problems, std::string file)
    : path_(std::move(path)), problems_(&problems), file_(std::move(file)) {
  if (node.is_object()) {
    node_ = &node;
  } else {
    problem_here("an object", describe(&node));
  }
}

std::string JsonReader::key_path(const std::string& key) const {
  const bool plain = !key.empty() && key.find_first_of(".[]\" ") == std::string::npos;
  return plain ? path_ + "." + key : path_ + "[\"" + key + "\"]";
}

void JsonReader::problem(const std::string& key, std::string expected, std::string found) const {
  problems_->add(file_, key_path(key), std::move(expected), std::move(found));
}
void JsonReader::problem_here(std::string expected, std::string found) const {
  problems_->add(file_, path_, std::move(expected), std::move(found));
}

std::string JsonReader::describe(const json* v) {
  if (v == nullptr) return "nothing (missing key)";
  switch (v->type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array of " + std::to_string(v->size());
    case json::value_t::string: {
      std::string s = v->get<std::string>();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return json(s).dump(-1, ' ', true, json::error_handler_t::replace) + " (string)";
    }
    case json::value_t::boolean: return v->get<bool>() ? "true (boolean)" : "false (boolean)";
    case json::value_t::discarded: return "an unreadable value";
    default: return v->dump();
  }
}

std::string JsonReader::unit_of(const std::string& key) {
  static const std::vector<std::pair<std::string, std::string>> suffixes = {
      {"_kva", "kVA"}, {"_kw", "kW"}, {"_mw", "MW"}, {"_w", "W"},       {"_s", "s"},
      {"_c", "°C"},    {"_pct", "%"}, {"_gb", "GB"}, {"_tflops", "TFLOP/s"}, {"_kv", "kV"},
      {"_gb_s", "GB/s"}, {"_gbit_s", "Gbit/s"}, {"_us", "µs"}, {"_h", "h"}, {"_w_per_s", "W/s"},
      {"_mw_per_s", "MW/s"}, {"_k", "K"}, {"_k_w", "K/W"}, {"_kg_s", "kg/s"}, {"_kpa", "kPa"}, {"_m3", "m³"},
      {"_m3_s", "m³/s"}, {"_m3_s_per_cell", "m³/s per cell"}, {"_kw_per_cell", "kW per cell"}, {"_j", "J"},
      {"_mwh", "MWh"}, {"_kwh", "kWh"}, {"_hz", "Hz"}, {"_ms", "ms"}, {"_l_per_kwh", "L/kWh"},
      {"_bytes_per_param", "bytes per parameter"}};
  std::string best, unit_found;
  for (const auto& [suf, unit] : suffixes)
    if (key.size() > suf.size() && key.compare(key.size() - suf.size(), suf.size(), suf) == 0 &&
        suf.size() > best.size()) {
      best = suf;
      unit_found = unit;
    }
  return unit_found;
}

bool JsonReader::has(const std::string& key) const {
  return node_ != nullptr && node_->contains(key);
}

const json* JsonReader::get(const std::string& key, bool required, const std::string& expected) {
  known_.insert(key);
  if (node_ == nullptr) return nullptr;
  auto it = node_->find(key);
  if (it == node_->end()) {
    if (required) problem(key, expected + " (required)", "nothing (missing key)");
    return nullptr;
  }
  return &*it;
}

double JsonReader::number(const std::string& key, double min, double max) {
  const std::string expected = number_text(key, path_, min, max);
  const json* v = get(key, true, expected);
  if (v == nullptr) return min;
  if (!v->is_number()) {
    problem(key, expected, describe(v));
    return min;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x) || x < min || x > max) {
    problem(key, expected, describe(v));
    return min;
  }
  return x;
}

std::optional<double> JsonReader::optional_number(const std::string& key, double min, double max) {
  if (!has(key)) {
    known_.insert(key);
    return std::nullopt;
  }
  return number(key, min, max);
}

std::optional<double> JsonReader::nullable_number(const std::string& key, double min, double max) {
  const std::string expected = number_text(key, path_, min, max) + " or null";
  const json* v = get(key, true, expected);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return number(key, min, max);
}

std::int64_t JsonReader::integer(const std::string& key, std::int64_t min, std::int64_t max) {
  const std::string expected =
      "an integer " + range_text(static_cast<double>(min), static_cast<double>(max), value_unit(key, path_));
  const json* v = get(key, true, expected);
  if (v == nullptr) return min;
  std::int64_t x = 0;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
      problem(key, expected, describe(v));
      return min;
    }
    x = v->get<std::int64_t>();
  } else if (v->is_number_float()) {
    const double d = v->get<double>();
    // 2^63 itself rounds to INT64_MAX as a double but does not fit: the cast would be undefined.
    if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(min) ||
        d > static_cast<double>(max) || d >= 9223372036854775808.0) {
      problem(key, expected, describe(v));
      return min;
    }
    x = static_cast<std::int64_t>(d);
  } else {
    problem(key, expected, describe(v));
    return min;
  }
  if (x < min || x > max) {
    problem(key, expected, describe(v));
    return min;
  }
  return x;
}

std::string JsonReader::string(const std::string& key, std::size_t min_len, std::size_t max_len) {
  const std::string expected = "a string of " + std::to_string(min_len) + " to " +
                               std::to_string(max_len) + " characters";
  const json* v = get(key, true, expected);
  if (v == nullptr) return {};
  if (!v->is_string()) {
    problem(key, expected, describe(v));
    return {};
  }
  std::string s = v->get<std::string>();
  if (s.size() < min_len || s.size() > max_len) {
    problem(key, expected, std::to_string(s.size()) + " characters");
    return {};
  }
  return s;
}

std::optional<std::string> JsonReader::optional_string(const std::string& key, std::size_t max_len) {
  if (!has(key)) {
    known_.insert(key);
    return std::nullopt;
  }
  return string(key, 0, max_len);
}

std::string JsonReader::choice(const std::string& key, const std::vector<std::string>& options) {
  std::string list;
  for (const auto& o : options) list += (list.empty() ? "" : ", ") + ("\"" + o + "\"");
  const std::string expected = "one of " + list;
  const json* v = get(key, true, expected);
  if (v == nullptr) return {};
  if (!v->is_string()) {
    problem(key, expected, describe(v));
    return {};
  }
  const std::string s = v->get<std::string>();
  for (const auto& o : options)
    if (o == s) return s;
  const std::string hint = closest_match(s, options);
  problem(key, expected, describe(v) + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
  return {};
}

JsonReader JsonReader::object(const std::string& key) {
  static const json empty_object = json::object();
  const json* v = get(key, true, "an object");
  if (v == nullptr) {
    // Already reported as missing: hand back a detached reader (no node), whose reads report
    // nothing more, so nested keys do not repeat the same problem.
    JsonReader r(empty_object, key_path(key), *problems_, file_);
    r.node_ = nullptr;
    return r;
  }
  return JsonReader(*v, key_path(key), *problems_, file_);
}

std::optional<JsonReader> JsonReader::optional_object(const std::string& key) {
  if (!has(key)) {
    known_.insert(key);
    return std::nullopt;
  }
  return object(key);
}

std::vector<JsonReader> JsonReader::array_of_objects(const std::string& key, std::size_t min_size,
                                                     std::size_t max_size) {
  const std::string expected = "an array of " + std::to_string(min_size) + " to " +
                               std::to_string(max_size) + " objects";
  const json* v = get(key, true, expected);
  std::vector<JsonReader> out;
  if (v == nullptr) return out;
  if (!v->is_array() || v->size() < min_size || v->size() > max_size) {
    problem(key, expected, describe(v));
    return out;
  }
  out.reserve(v->size());
  for (std::size_t i = 0; i < v->size(); ++i)
    out.emplace_back((*v)[i], key_path(key) + "[" + std::to_string(i) + "]", *problems_, file_);
  return out;
}

std::vector<std::pair<std::string, JsonReader>> JsonReader::map_of_objects(const std::string& key,
                                                                           bool required) {
  std::vector<std::pair<std::string, JsonReader>> out;
  if (!required && !has(key)) {
    known_.insert(key);
    return out;
  }
  const json* v = get(key, true, "an object of named entries");
  if (v == nullptr) return out;
  if (!v->is_object()) {
    problem(key, "an object of named entries", describe(v));
    return out;
  }
  JsonReader parent(*v, key_path(key), *problems_, file_);
  for (auto it = v->begin(); it != v->end(); ++it)
    out.emplace_back(it.key(), JsonReader(it.value(), parent.key_path(it.key()), *problems_, file_));
  return out;
}

const json* JsonReader::raw(const std::string& key) { return get(key, false, ""); }

void JsonReader::finish() {
  if (node_ == nullptr) return;
  std::vector<std::string> known(known_.begin(), known_.end());
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    if (known_.count(it.key())) continue;
    const std::string hint = closest_match(it.key(), known);
    std::string expected = "a known key of " + path_;
    if (!hint.empty()) expected += " (did you mean \"" + hint + "\"?)";
    problems_->add(file_, key_path(it.key()), expected, "unknown key \"" + it.key() + "\"");
  }
}

}  // namespace dctwin
