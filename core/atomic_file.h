// Writing output files atomically: the content goes to a temporary file in the same folder, is
// flushed to disk (fsync), then renamed over the target, so a reader (or a run interrupted by a
// signal or a power cut) never sees half a file: either the old one or the complete new one.
#pragma once
#include <string>

namespace dctwin {

// Throws InputError (exit 2) naming the path and the reason when the file cannot be written.
void write_file_atomic(const std::string& path, const std::string& content);
// Renames `from` over `to` (same folder), throwing InputError naming both on failure.
void rename_atomic(const std::string& from, const std::string& to);

// Creates `dir` (and its parents) when missing; InputError naming it (`where`: "output folder",
// "output folder (-o)") when it cannot be created or is not a folder.
void create_output_folder(const std::string& dir, const std::string& where = "output folder");

}  // namespace dctwin
