#include "core/json_input.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace dctwin {

std::string read_text_file(const std::string& path, Problems& problems, std::size_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    problems.add(path, "file", "an existing file", "no such file");
    return {};
  }
  if (!fs::is_regular_file(st)) {
    problems.add(path, "file", "a regular file", fs::is_directory(st) ? "a directory" : "not a regular file");
    return {};
  }
  const auto size = fs::file_size(path, ec);
  if (!ec && size > max_bytes) {
    problems.add(path, "file", "at most " + std::to_string(max_bytes) + " bytes",
                 std::to_string(size) + " bytes");
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.add(path, "file", "a readable file", "it cannot be opened");
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {
std::pair<std::size_t, std::size_t> line_col(const std::string& text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}
// Byte offset of the first bracket that nests deeper than kMaxJsonDepth (outside strings), or npos.
std::size_t too_deep_at(const std::string& text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}
}  // namespace

json parse_json(const std::string& text, const std::string& file, Problems& problems) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    problems.add(file, "line 1", "a JSON document", "an empty file");
    return json(json::value_t::discarded);
  }
  if (const std::size_t at = too_deep_at(text); at != std::string::npos) {
    auto [line, col] = line_col(text, at);
    problems.add(file, "line " + std::to_string(line) + ", column " + std::to_string(col),
                 "arrays and objects nested at most " + std::to_string(kMaxJsonDepth) + " deep", "deeper nesting");
    return json(json::value_t::discarded);
  }
  // Track the keys of each open object to find duplicates, with their JSON paths.
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string path;
    std::size_t index = 0;
    std::string last_key;
  };
  std::vector<Frame> stack;
  bool duplicate = false;
  auto child_path = [&]() -> std::string {
    if (stack.empty()) return "$";
    Frame& f = stack.back();
    return f.is_object ? f.path + "." + f.last_key : f.path + "[" + std::to_string(f.index) + "]";
  };
  json::parser_callback_t cb = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        stack.push_back(Frame{true, {}, child_path(), 0, {}});
        break;
      case json::parse_event_t::array_start:
        stack.push_back(Frame{false, {}, child_path(), 0, {}});
        break;
      case json::parse_event_t::key: {
        Frame& f = stack.back();
        const std::string k = parsed.get<std::string>();
        f.last_key = k;
        if (!f.keys.insert(k).second) {
          duplicate = true;
          problems.add(file, f.path + "." + k, "each key once per object", "a duplicate key");
        }
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        stack.pop_back();
        [[fallthrough]];
      case json::parse_event_t::value:
        if (!stack.empty() && !stack.back().is_object) ++stack.back().index;
        break;
    }
    return true;
  };
  try {
    json doc = json::parse(text, cb, true, false);
    if (duplicate) return json(json::value_t::discarded);
    return doc;
  } catch (const json::parse_error& e) {
    auto [line, col] = line_col(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error while parsing value - invalid literal; last read: 'x'"
    const auto pos = what.find("syntax error");
    const std::string detail = pos == std::string::npos ? what : what.substr(pos);
    problems.add(file, "line " + std::to_string(line) + ", column " + std::to_string(col),
                 "valid JSON", detail);
  } catch (const json::out_of_range& e) {
    // A number beyond the range of a double (1e400): nlohmann's exception carries no position, so
    // parse again with a SAX handler that receives it (the byte just after the number).
    struct PositionSax : nlohmann::json_sax<json> {
      std::size_t position = 0;
      std::string token;
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t pos, const std::string& last_token, const nlohmann::detail::exception&) override {
        position = pos;
        token = last_token;
        return false;
      }
    } sax;
    (void)json::sax_parse(text, &sax);
    const std::size_t start = sax.position >= sax.token.size() ? sax.position - sax.token.size() : 0;
    auto [line, col] = line_col(text, start);
    std::string what = e.what();
    const auto pos = what.find("number overflow");
    problems.add(file, "line " + std::to_string(line) + ", column " + std::to_string(col), "valid JSON",
                 (pos == std::string::npos ? what : what.substr(pos)) + " (beyond the range of a double)");
  } catch (const std::exception& e) {
    problems.add(file, "document", "valid JSON", e.what());
  }
  return json(json::value_t::discarded);
}

namespace {
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.' || c == '[' || c == ']') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}
bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}
}  // namespace

bool valid_utf8(const std::string& s) {
  try {
    (void)json(s).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

Problems for_option(const std::string& option, const Problems& problems) {
  Problems named;
  for (Problem p : problems.list()) {
    p.file = option + " " + p.file;
    named.add(std::move(p));
  }
  return named;
}

json override_value(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const std::exception&) {
    return text;
  }
}

void apply_overrides(json& doc, const std::vector<std::string>& overrides, Problems& problems) {
  for (std::size_t k = 0; k < overrides.size(); ++k) {
    const std::string& ov = overrides[k];
    if (!valid_utf8(ov)) {
      problems.add("--set", "override " + std::to_string(k + 1), "UTF-8 text", "bytes that are not UTF-8 (another encoding?)");
      continue;
    }
    const auto eq = ov.find('=');
    if (eq == std::string::npos || eq == 0) {
      problems.add("--set", ov, "path.to.key=value", "no '=' or an empty path");
      continue;
    }
    const std::string path = ov.substr(0, eq), text = ov.substr(eq + 1);
    if (too_deep_at(text) != std::string::npos) {
      problems.add("--set", path, "a value nested at most " + std::to_string(kMaxJsonDepth) + " deep", "deeper nesting");
      continue;
    }
    json value = override_value(text);
    const auto parts = split_path(path);
    if (parts.empty()) {
      problems.add("--set", ov, "path.to.key=value", "an empty path");
      continue;
    }
    json* node = &doc;
    std::string where = "$";
    bool ok = true;
    for (std::size_t i = 0; i + 1 < parts.size() && ok; ++i) {
      const std::string& p = parts[i];
      if (node->is_array()) {
        if (!is_index(p) || std::stoul(p) >= node->size()) {
          problems.add("--set", where + "[" + p + "]",
                       "an index below " + std::to_string(node->size()), "\"" + p + "\"");
          ok = false;
          break;
        }
        where += "[" + p + "]";
        node = &(*node)[std::stoul(p)];
      } else if (node->is_object()) {
        if (!node->contains(p)) {
          std::vector<std::string> keys;
          for (auto it = node->begin(); it != node->end(); ++it) keys.push_back(it.key());
          const std::string hint = closest_match(p, keys);
          problems.add("--set", where + "." + p,
                       "an existing key" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"),
                       "no such key");
          ok = false;
          break;
        }
        where += "." + p;
        node = &(*node)[p];
      } else {
        problems.add("--set", where, "an object or array to descend into", JsonReader::describe(node));
        ok = false;
      }
    }
    if (!ok) continue;
    const std::string& last = parts.back();
    if (node->is_array()) {
      if (!is_index(last) || std::stoul(last) >= node->size()) {
        problems.add("--set", where + "[" + last + "]",
                     "an index below " + std::to_string(node->size()), "\"" + last + "\"");
        continue;
      }
      (*node)[std::stoul(last)] = value;
    } else if (node->is_object()) {
      (*node)[last] = value;
    } else {
      problems.add("--set", where, "an object or array", JsonReader::describe(node));
    }
  }
}

}  // namespace dctwin
