// Lenient reads of one field of a run's JSON (summary.json, sizing.json and their entries) for the
// reports: a report shows what a file holds and says in words what it lacks, so an absent or
// mistyped field is nullopt (or the fallback), never an error. summary.json itself is checked
// strictly by load_run (viz/run_data.h).
#pragma once
#include <optional>
#include <string>

#include "core/json_reader.h"

namespace dctwin::viz {

// The number at `key` of an object; nullopt when `s` is not an object or the value is no number.
std::optional<double> num(const json& s, const char* key);

// The string at `key`; `fallback` when absent or null; any other value as its JSON text.
std::string str(const json& s, const char* key, const std::string& fallback = "");

}  // namespace dctwin::viz
