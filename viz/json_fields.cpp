#include "viz/json_fields.h"

namespace dctwin::viz {

std::optional<double> num(const json& s, const char* key) {
  if (!s.is_object() || !s.contains(key) || !s[key].is_number()) return std::nullopt;
  return s[key].get<double>();
}

std::string str(const json& s, const char* key, const std::string& fallback) {
  if (!s.is_object() || !s.contains(key)) return fallback;
  if (s[key].is_string()) return s[key].get<std::string>();
  if (s[key].is_null()) return fallback;
  return s[key].dump();
}

}  // namespace dctwin::viz
