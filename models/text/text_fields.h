#pragma once
// The text-parsing kit shared by every text input parser: the weather parsers (models/weather: EPW,
// .ddy, .stat) and the GPU power-trace importers (gpu_runtime/common/trace.cpp: nvidia-smi, DCGM,
// dctwin CSV). Splitting into lines and fields, trimming, strict number parsing, showing found text
// safely in a message, and collecting problems with a cap (Collector). No I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/text/parse_issue.h"

namespace dctwin::text {

struct Line {
  std::size_t number;     // 1-based
  std::string_view text;  // without the line terminator ("\n" or "\r\n")
};

// Splits text into lines; a final line terminator does not start an extra empty line.
std::vector<Line> split_lines(std::string_view text);

// Splits on every `sep` (no quoting: EPW, IDF, .stat and trace CSV fields never contain the
// separator). split_trimmed also trims every field ("a , b," -> "a", "b", "").
std::vector<std::string_view> split(std::string_view s, char sep);
std::vector<std::string_view> split_trimmed(std::string_view s, char sep);

// Splits on runs of white space (space, tab, CR, LF, VT, FF); no empty fields (" a  b " -> "a", "b").
std::vector<std::string_view> split_ws(std::string_view s);

// Without leading and trailing white space (the set split_ws splits on).
std::string_view trim(std::string_view s);

// The whole trimmed text, an optional leading '+' allowed, as a number; nullopt otherwise ("",
// "1.2x"). parse_real also accepts "nan" and "inf" (for a caller that reports them apart);
// parse_double only a finite number.
std::optional<double> parse_real(std::string_view s);
std::optional<double> parse_double(std::string_view s);
std::optional<int> parse_int(std::string_view s);
// A whole non-negative integer, decimal or hexadecimal after "0x" ("0x1F" -> 31); for bitmasks.
std::optional<std::uint64_t> parse_uint64(std::string_view s);

// The trimmed text without a trailing unit: without_unit("72.45 W", "W") -> "72.45",
// ("1980MHz", "MHz") -> "1980". Unchanged (trimmed) when it does not end with `unit`, when it is
// nothing but the unit, or when `unit` is empty.
std::string_view without_unit(std::string_view s, std::string_view unit);

// Text as it should appear in a message: between `mark`s, at most `max_chars` characters (then
// "..."), unprintable bytes as \xNN. The weather parsers use the defaults ('abc'); the trace
// importers double quotes and 60 characters ("abc").
std::string quote(std::string_view s, char mark = '\'', std::size_t max_chars = 40);

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

// Collects issues up to `max` (kMaxParseIssues unless given), then counts the rest. finish() adds
// one issue with that count: "expected at most <max> problems listed, found <n> more from this line
// on" at the line of the first one not listed when none of the rest is on an earlier line (nor the
// whole text), else "found <n> more not shown" for the whole text (line 0).
class Collector {
 public:
  explicit Collector(ParseIssues& out, std::size_t max = kMaxParseIssues) : out_(out), start_(out.size()), max_(max) {}
  void add(std::size_t line, std::string expected, std::string found);
  bool any() const { return out_.size() > start_ || omitted_ > 0; }
  void finish();

 private:
  ParseIssues& out_;
  std::size_t start_;
  std::size_t max_;
  std::size_t omitted_ = 0;
  std::size_t first_omitted_line_ = 0;
  bool omitted_in_line_order_ = true;  // no omitted issue before the first omitted one's line
};

// When `text` holds a binary byte (find_binary), adds the one issue "expected <expected>, found a
// binary byte 0xNN at column N" at its line and returns true; a parser then stops.
bool report_binary(std::string_view text, std::string expected, Collector& c);

// CSV with a header (the request-rate trace, the RMS-voltage series): a line that is blank or starts
// with '#' (after trimming) is skipped anywhere.
bool csv_skipped(std::string_view line);
// Where each of `names` is in the comma-separated `header` (case-insensitive); one issue per missing
// column ("a header with column \"x\""), then nullopt.
std::optional<std::vector<std::size_t>> csv_header_columns(const Line& header, const std::vector<std::string_view>& names,
                                                           Collector& c);

}  // namespace dctwin::text
