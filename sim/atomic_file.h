// Writing output files atomically: the content goes to a temporary file in the same folder, is
// flushed to disk (fsync), then renamed over the target, so a reader (or a run interrupted by a
// signal or a power cut) never sees half a file: either the old one or the complete new one.
#pragma once
#include <string>

namespace dctwin {

// Throws std::runtime_error naming the path when the file cannot be written.
void write_file_atomic(const std::string& path, const std::string& content);
// Renames `from` over `to` (same folder), throwing std::runtime_error naming both on failure.
void rename_atomic(const std::string& from, const std::string& to);

}  // namespace dctwin
