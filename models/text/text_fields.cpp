#include "models/text/text_fields.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace dctwin::text {

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0, number = 1;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back({number++, l});
    if (last) break;
    start = end + 1;
  }
  return lines;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::vector<std::string_view> split_trimmed(std::string_view s, char sep) {
  std::vector<std::string_view> out = split(s, sep);
  for (auto& field : out) field = trim(field);
  return out;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// The trimmed text without one leading '+' (std::from_chars takes none); nullopt when that leaves
// nothing or a second sign ("+-5").
std::optional<std::string_view> number_text(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) return std::nullopt;
  }
  if (s.empty()) return std::nullopt;
  return s;
}

// The whole of `s` as a T (std::from_chars, `base` for integers); nullopt when any of it is left.
template <class T, class... Base>
std::optional<T> whole(std::string_view s, Base... base) {
  T v{};
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base...);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) return out;
    const std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    out.push_back(s.substr(start, i - start));
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<double> parse_real(std::string_view s) {
  const auto t = number_text(s);
  return t ? whole<double>(*t) : std::nullopt;
}

std::optional<double> parse_double(std::string_view s) {
  const auto v = parse_real(s);
  if (!v || !std::isfinite(*v)) return std::nullopt;
  return v;
}

std::optional<int> parse_int(std::string_view s) {
  const auto t = number_text(s);
  return t ? whole<int>(*t, 10) : std::nullopt;
}

std::optional<std::uint64_t> parse_uint64(std::string_view s) {
  auto t = number_text(s);
  if (!t) return std::nullopt;
  if (t->size() > 2 && (*t)[0] == '0' && ((*t)[1] == 'x' || (*t)[1] == 'X')) return whole<std::uint64_t>(t->substr(2), 16);
  return whole<std::uint64_t>(*t, 10);
}

std::string_view without_unit(std::string_view s, std::string_view unit) {
  s = trim(s);
  if (!unit.empty() && s.size() > unit.size() && s.ends_with(unit)) s = trim(s.substr(0, s.size() - unit.size()));
  return s;
}

std::string quote(std::string_view s, char mark, std::size_t max_chars) {
  std::string out(1, mark);
  std::size_t shown = 0;
  for (char ch : s) {
    if (shown == max_chars) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || c >= 0x80) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += ch;
    }
    ++shown;
  }
  return out + mark;
}

static char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool icontains(std::string_view s, std::string_view part) {
  if (part.size() > s.size()) return false;
  for (std::size_t i = 0; i + part.size() <= s.size(); ++i)
    if (iequals(s.substr(i, part.size()), part)) return true;
  return false;
}

bool find_binary(std::string_view text, BinaryByte& where) {
  std::size_t line = 1, col = 1;
  for (char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    if (b == '\n') {
      ++line;
      col = 1;
      continue;
    }
    if ((b < 0x20 && b != '\t' && b != '\r') || b == 0x7f) {
      where = {line, col, b};
      return true;
    }
    ++col;
  }
  return false;
}

std::string binary_text(const BinaryByte& b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "a binary byte 0x%02X at column %zu", b.byte, b.column);
  return buf;
}

void Collector::add(std::size_t line, std::string expected, std::string found) {
  if (out_.size() - start_ < max_) {
    out_.push_back({line, std::move(expected), std::move(found)});
    return;
  }
  if (omitted_++ == 0) first_omitted_line_ = line;
  else if (line < first_omitted_line_) omitted_in_line_order_ = false;
}

void Collector::finish() {
  if (omitted_ > 0) {
    std::string listed = "at most " + std::to_string(max_) + " problems listed";
    if (omitted_in_line_order_ && first_omitted_line_ > 0)
      out_.push_back({first_omitted_line_, std::move(listed), std::to_string(omitted_) + " more from this line on"});
    else
      out_.push_back({0, std::move(listed), std::to_string(omitted_) + " more not shown"});
  }
  omitted_ = 0;
  omitted_in_line_order_ = true;
}

bool report_binary(std::string_view text, std::string expected, Collector& c) {
  BinaryByte b;
  if (!find_binary(text, b)) return false;
  c.add(b.line, std::move(expected), binary_text(b));
  return true;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

bool csv_skipped(std::string_view line) {
  const auto t = trim(line);
  return t.empty() || t.front() == '#';
}

std::optional<std::vector<std::size_t>> csv_header_columns(const Line& header, const std::vector<std::string_view>& names,
                                                           Collector& c) {
  const auto head = split_trimmed(header.text, ',');
  std::vector<std::size_t> at(names.size());
  bool ok = true;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const auto it = std::find_if(head.begin(), head.end(), [&](std::string_view h) { return iequals(h, names[k]); });
    if (it == head.end()) {
      c.add(header.number, "a header with column \"" + std::string(names[k]) + "\"", quote(header.text));
      ok = false;
    } else {
      at[k] = static_cast<std::size_t>(it - head.begin());
    }
  }
  if (!ok) return std::nullopt;
  return at;
}

}  // namespace dctwin::text
