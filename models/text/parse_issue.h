#pragma once
/**
 * @file parse_issue.h
 * @brief One problem found while parsing text input (weather files: EPW, .ddy, .stat; GPU power
 * traces): line, expected, found.
 *
 * The weather parsers in `models/weather/` read text handed to them (they do no file I/O) and
 * collect every problem they find instead of stopping at the first one. Each problem carries the
 * 1-based line number in the text, what was expected there and what was found, so that the
 * loader in `sim/input/weather_file.h` can prefix the file name and report one line per problem:
 *
 *     chicago.epw: line 12: expected field 7 (dry bulb) a number in (-70, 70) °C, found 'abc'
 *
 * Line 0 means the problem concerns the whole text (for example a required section that is
 * absent); sim/ then reports it as "file" instead of "line 0".
 */
#include <cstddef>
#include <string>
#include <vector>

namespace dctwin::text {

struct ParseIssue {
  std::size_t line = 0;  ///< 1-based line number; 0 = the whole text
  std::string expected;  ///< what was expected (field, type, range, unit)
  std::string found;     ///< what was found (quoted text, "end of file", ...)
};

using ParseIssues = std::vector<ParseIssue>;

/// Most problems a weather parser lists before it stops listing (one further entry then says how
/// many more there were; text::Collector's default, the trace importers list 20). A file shifted by
/// one hour would otherwise give 8760 identical lines.
inline constexpr std::size_t kMaxParseIssues = 50;

}  // namespace dctwin::text
