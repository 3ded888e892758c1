// The text-parsing kit shared by the weather parsers and the GPU trace importers
// (models/text/text_fields.h). Every expected value below can be checked by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "models/text/text_fields.h"

using namespace dctwin::text;

namespace {
using Views = std::vector<std::string_view>;
}  // namespace

TEST_CASE("text kit: split_lines numbers lines and drops the terminators") {
  const auto lines = split_lines("a\r\nb\n\nc");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].number == 1);
  CHECK(lines[0].text == "a");  // "\r\n" ends a line too
  CHECK(lines[1].text == "b");
  CHECK(lines[2].text == "");
  CHECK(lines[3].number == 4);
  CHECK(lines[3].text == "c");
  CHECK(split_lines("a\n").size() == 1);  // a final terminator starts no empty line
  CHECK(split_lines("").empty());
}

TEST_CASE("text kit: split, split_trimmed and split_ws") {
  CHECK(split("a,,b", ',') == Views{"a", "", "b"});
  CHECK(split("", ',') == Views{""});
  CHECK(split(" a , b,", ',') == Views{" a ", " b", ""});
  CHECK(split_trimmed(" a , b,", ',') == Views{"a", "b", ""});
  CHECK(split_trimmed("\tx\t", '\t') == Views{"", "x", ""});
  CHECK(split_ws("  GPU 0\t 71.5  \r") == Views{"GPU", "0", "71.5"});
  CHECK(split_ws("one") == Views{"one"});
  CHECK(split_ws(" \t\r\n").empty());
  CHECK(split_ws("").empty());
}

TEST_CASE("text kit: trim removes spaces, tabs, CR, LF, VT and FF at both ends only") {
  CHECK(trim("  a b\t\r\n") == "a b");
  CHECK(trim("\v\fx\f") == "x");
  CHECK(trim("   ") == "");
}

TEST_CASE("text kit: parse_double, parse_real and parse_int take the whole trimmed text") {
  CHECK(parse_double(" 12.5 ") == 12.5);
  CHECK(parse_double("+3") == 3.0);
  CHECK(parse_double("-0.25") == -0.25);
  CHECK(parse_double("1e3") == 1000.0);
  CHECK_FALSE(parse_double("").has_value());
  CHECK_FALSE(parse_double("1.2x").has_value());
  CHECK_FALSE(parse_double("+-5").has_value());  // one sign at most
  CHECK_FALSE(parse_double("nan").has_value());
  CHECK_FALSE(parse_double("inf").has_value());
  // parse_real accepts what is a number but not finite, so that a caller can say so.
  REQUIRE(parse_real("nan").has_value());
  CHECK(std::isnan(*parse_real("nan")));
  CHECK(*parse_real("-inf") == -INFINITY);
  CHECK(parse_real("7") == 7.0);
  CHECK_FALSE(parse_real("abc").has_value());
  CHECK(parse_int(" 42") == 42);
  CHECK(parse_int("+7") == 7);
  CHECK(parse_int("-3") == -3);
  CHECK_FALSE(parse_int("4.0").has_value());
  CHECK_FALSE(parse_int("99999999999").has_value());  // does not fit an int
}

TEST_CASE("text kit: parse_uint64 reads decimal and 0x hexadecimal") {
  CHECK(parse_uint64("0") == 0u);
  CHECK(parse_uint64(" 255 ") == 255u);
  CHECK(parse_uint64("0x1F") == 31u);
  CHECK(parse_uint64("0X10") == 16u);
  CHECK(parse_uint64("0xffffffffffffffff") == 18446744073709551615ull);
  CHECK_FALSE(parse_uint64("0x").has_value());
  CHECK_FALSE(parse_uint64("-1").has_value());
  CHECK_FALSE(parse_uint64("12g").has_value());
  CHECK_FALSE(parse_uint64("0x10000000000000000").has_value());  // 2^64 does not fit
  CHECK_FALSE(parse_uint64("").has_value());
}

TEST_CASE("text kit: without_unit drops a trailing unit") {
  CHECK(without_unit("72.45 W", "W") == "72.45");
  CHECK(without_unit(" 1980MHz ", "MHz") == "1980");
  CHECK(without_unit("72.45", "W") == "72.45");
  CHECK(without_unit("72.45 kW", "W") == "72.45 k");  // the unit must be exactly `unit`
  CHECK(without_unit("W", "W") == "W");               // nothing but the unit: unchanged
  CHECK(without_unit(" 5 W ", "") == "5 W");
}

TEST_CASE("text kit: quote shows found text safely") {
  CHECK(quote("abc") == "'abc'");
  CHECK(quote("abc", '"', 60) == "\"abc\"");
  CHECK(quote(std::string("a\0b\xff", 4)) == "'a\\x00b\\xFF'");
  CHECK(quote(std::string(41, 'x')) == "'" + std::string(40, 'x') + "...'");
  CHECK(quote(std::string(40, 'x')) == "'" + std::string(40, 'x') + "'");
  CHECK(quote("abcdef", '"', 3) == "\"abc...\"");
}

TEST_CASE("text kit: case-insensitive comparisons") {
  CHECK(iequals("Entity", "ENTITY"));
  CHECK_FALSE(iequals("Entity", "Entit"));
  CHECK(istarts_with("location,x", "LOCATION"));
  CHECK_FALSE(istarts_with("LOC", "LOCATION"));
  CHECK(icontains("Standard Pressure at Elevation", "PRESSURE"));
  CHECK_FALSE(icontains("abc", "abcd"));
}

TEST_CASE("text kit: find_binary, binary_text and report_binary") {
  BinaryByte b;
  CHECK_FALSE(find_binary("a\tb\r\nc", b));  // tab, CR and LF are text
  REQUIRE(find_binary(std::string("ab\ncd\0", 6), b));
  CHECK(b.line == 2);
  CHECK(b.column == 3);
  CHECK(b.byte == 0);
  CHECK(binary_text(b) == "a binary byte 0x00 at column 3");

  ParseIssues issues;
  Collector c(issues);
  CHECK_FALSE(report_binary("plain text\n", "text", c));
  CHECK(issues.empty());
  CHECK(report_binary("x\n\x7f", "text (a test file)", c));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].line == 2);
  CHECK(issues[0].expected == "text (a test file)");
  CHECK(issues[0].found == "a binary byte 0x7F at column 1");
}

TEST_CASE("text kit: fmt writes a number without trailing zeros") {
  CHECK(fmt(12.5) == "12.5");
  CHECK(fmt(70) == "70");
  CHECK(fmt(-0.125) == "-0.125");
}

TEST_CASE("text kit: Collector lists up to its limit, then one line with the count of the rest") {
  // The issues collected with limit `max` from issues on `lines`, after finish().
  auto collected = [](std::size_t max, std::initializer_list<std::size_t> lines) {
    ParseIssues issues;
    Collector c(issues, max);
    CHECK_FALSE(c.any());
    for (std::size_t line : lines) c.add(line, "x", "y");
    CHECK(c.any() == (lines.size() > 0));
    c.finish();
    return issues;
  };
  const ParseIssues in_order = collected(2, {1, 2, 3, 4, 5});
  REQUIRE(in_order.size() == 3);
  CHECK(in_order[1].line == 2);
  CHECK(in_order[2].line == 3);  // the first line not listed
  CHECK(in_order[2].expected == "at most 2 problems listed");
  CHECK(in_order[2].found == "3 more from this line on");
  // One not listed on an earlier line than the first not listed (line 6 after 7), or on none
  // (line 0): the count is for the whole text.
  const ParseIssues unordered = collected(1, {5, 7, 6});
  REQUIRE(unordered.size() == 2);
  CHECK(unordered[1].line == 0);
  CHECK(unordered[1].found == "2 more not shown");
  const ParseIssues whole = collected(0, {0});
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].line == 0);
  CHECK(whole[0].found == "1 more not shown");
  CHECK(collected(2, {}).empty());
  // The default limit is kMaxParseIssues.
  ParseIssues many;
  Collector d(many);
  for (std::size_t i = 0; i < kMaxParseIssues + 1; ++i) d.add(1, "x", "y");
  d.finish();
  CHECK(many.size() == kMaxParseIssues + 1);
  CHECK(many.back().found == "1 more from this line on");
}
