// Reading JSON input: files with size limits and line/column parse errors, duplicate-key
// detection, and `--set path.to.key=value` overrides.
#pragma once
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace dctwin {

// Largest JSON input accepted (bytes). A scenario is a few kB; anything near this is a mistake.
inline constexpr std::size_t kMaxJsonBytes = 64u << 20;

// Deepest nesting of arrays and objects accepted: a scenario needs about 8; a deeper document is a
// mistake or an attack (nesting is what makes recursive code overflow its stack).
inline constexpr std::size_t kMaxJsonDepth = 256;

// Reads a whole file. Problems (missing, not a regular file, too large) are added; returns "".
std::string read_text_file(const std::string& path, Problems& problems, std::size_t max_bytes = kMaxJsonBytes);

// Parses JSON text. A syntax error is reported as "line L, column C"; a key repeated in one
// object is reported with its JSON path. Returns a discarded value on failure.
json parse_json(const std::string& text, const std::string& file, Problems& problems);

// Applies `path=value` overrides. The path uses dots, array elements by index (jobs.0.gpus or
// jobs[0].gpus). The value is parsed as JSON when it parses (numbers, true, null, objects),
// otherwise taken as a string. Every segment but the last must exist; the last may be new (an
// unknown key is then reported by validation with a hint). Problems are reported as "--set".
void apply_overrides(json& doc, const std::vector<std::string>& overrides, Problems& problems);
// The problems of a file given with a command-line option, each naming the option before the file
// ("--weather site.epw: line 12: expected ..."), so the user sees which option to fix.
Problems for_option(const std::string& option, const Problems& problems);

// An override's value text as the JSON value it sets: parsed as JSON when it parses, else the text
// as a string ("15" -> 15, "true" -> true, "N+1" -> "N+1").
json override_value(const std::string& text);

}  // namespace dctwin
