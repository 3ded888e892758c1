// Typed, validating access to a JSON object. Every read states what it expects (type, range, unit);
// every problem is collected with its JSON path. Keys that no read asked for are reported by
// finish() as unknown, with a "did you mean" hint, so a misspelled key is never silently ignored
// and the schema lives in one place: the code that reads it.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/problems.h"

namespace dctwin {

using json = nlohmann::ordered_json;

class JsonReader {
 public:
  // `node` may be any JSON value; a non-object is reported once, and every read then fails softly.
  JsonReader(const json& node, std::string path, Problems& problems, std::string file);

  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  Problems& problems() const { return *problems_; }
  bool valid() const { return node_ != nullptr; }
  bool has(const std::string& key) const;
  std::string key_path(const std::string& key) const;

  // Numbers: finite, in [min, max]. The unit shown is derived from the key's suffix (_w, _s, ...).
  double number(const std::string& key, double min, double max);
  std::optional<double> optional_number(const std::string& key, double min, double max);
  // Key required; the value may be null (returns nullopt).
  std::optional<double> nullable_number(const std::string& key, double min, double max);
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max);
  std::string string(const std::string& key, std::size_t min_len = 1, std::size_t max_len = 1000);
  std::optional<std::string> optional_string(const std::string& key, std::size_t max_len = 10000);
  std::string choice(const std::string& key, const std::vector<std::string>& options);

  JsonReader object(const std::string& key);
  std::optional<JsonReader> optional_object(const std::string& key);
  // An array of values (each handed back as a reader when an object is wanted).
  std::vector<JsonReader> array_of_objects(const std::string& key, std::size_t min_size,
                                           std::size_t max_size);
  // An object whose values are objects: name -> reader, in file order.
  std::vector<std::pair<std::string, JsonReader>> map_of_objects(const std::string& key,
                                                                 bool required = true);
  // The raw value (marks the key as known). nullptr when absent.
  const json* raw(const std::string& key);
  // Mark a key as known without reading it.
  void allow(const std::string& key) { known_.insert(key); }

  // Reports keys that no read asked for. Call once after all reads.
  void finish();

  void problem(const std::string& key, std::string expected, std::string found) const;
  void problem_here(std::string expected, std::string found) const;

  // Short text for a found value: `-3`, `"abc" (string)`, `null`, `an object`, `nothing`.
  static std::string describe(const json* v);
  // Unit text from a key's suffix ("W" for tdp_w), or "" when none.
  static std::string unit_of(const std::string& key);

 private:
  const json* get(const std::string& key, bool required, const std::string& expected);

  const json* node_ = nullptr;
  std::string path_;
  Problems* problems_;
  std::string file_;
  std::set<std::string> known_;
};

}  // namespace dctwin
