#pragma once
// The text-parsing kit shared by every text input parser: the weather parsers (models/weather: EPW,
// .ddy, .stat) and the GPU power-trace importers (gpu_runtime/common/trace.cpp: nvidia-smi, DCGM,
// dctwin CSV). Splitting into lines and fields, trimming, strict number parsing, and showing found
// text safely in a message. No I/O, no state.
#include <optional>

#include "models/text/parse_issue.h"
#include <string>
#include <string_view>
#include <vector>

namespace dctwin::text {

struct Line {
  std::size_t number;     // 1-based
  std::string_view text;  // without the line terminator ("\n" or "\r\n")
};

// Splits text into lines; a final line terminator does not start an extra empty line.
std::vector<Line> split_lines(std::string_view text);

// Splits on every `sep` (no quoting: EPW, IDF and .stat fields never contain the separator).
std::vector<std::string_view> split(std::string_view s, char sep);

std::string_view trim(std::string_view s);

// The whole trimmed text as a finite double / an int; nullopt otherwise ("", "1.2x", "nan").
std::optional<double> parse_double(std::string_view s);
std::optional<int> parse_int(std::string_view s);

// Text as it should appear in a message: quoted, at most 40 characters, unprintable bytes as \xNN.
std::string quote(std::string_view s);

// Case-insensitive ASCII comparison helpers.
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
bool icontains(std::string_view s, std::string_view part);

// The first control byte (not tab, CR, LF) in text: a sign of a binary file. Returns false when
// there is none; otherwise sets the 1-based line and column and the byte.
struct BinaryByte {
  std::size_t line = 0, column = 0;
  unsigned char byte = 0;
};
bool find_binary(std::string_view text, BinaryByte& where);
std::string binary_text(const BinaryByte& b);  // "a binary byte 0x00 at column 3"

// Formats a number for a message without trailing zeros (12.5 -> "12.5", 70 -> "70").
std::string fmt(double v);

// Collects issues up to kMaxParseIssues, then counts the rest; finish() adds the count.
class Collector {
 public:
  explicit Collector(ParseIssues& out) : out_(out), start_(out.size()) {}
  void add(std::size_t line, std::string expected, std::string found) {
    if (out_.size() - start_ < kMaxParseIssues) {
      out_.push_back({line, std::move(expected), std::move(found)});
    } else {
      ++omitted_;
      if (first_omitted_line_ == 0) first_omitted_line_ = line;
    }
  }
  bool any() const { return out_.size() > start_ || omitted_ > 0; }
  void finish() {
    if (omitted_ > 0)
      out_.push_back({first_omitted_line_, "at most " + std::to_string(kMaxParseIssues) + " problems listed",
                      std::to_string(omitted_) + " more from this line on"});
    omitted_ = 0;
  }

 private:
  ParseIssues& out_;
  std::size_t start_;
  std::size_t omitted_ = 0;
  std::size_t first_omitted_line_ = 0;
};

}  // namespace dctwin::text
