#include "viz/html.h"

#include <algorithm>
#include <cctype>

namespace dctwin::viz {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string script_json(const json& j) {
  const std::string text = j.dump(-1, ' ', true, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 64);
  for (char c : text) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;  // ensure_ascii already wrote U+2028 and U+2029 as \u escapes
    }
  }
  return out;
}

std::string safe_inline_script(std::string_view js) {
  std::string out(js);
  for (std::size_t i = out.find("</"); i != std::string::npos; i = out.find("</", i + 2)) {
    std::string tag = out.substr(i + 2, 6);
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (tag == "script") out.replace(i, 2, "<\\/");
  }
  return out;
}

Cell c(const std::string& text, const std::string& cls) { return {html_escape(text), cls}; }
Cell cnum(const std::string& text) { return {html_escape(text), "num"}; }

void Doc::h2(const std::string& id, const std::string& title) {
  out += "<section id=\"" + id + "\"><h2>" + html_escape(title) + "</h2>\n";
}

void Doc::p(const std::string& s, const std::string& cls) {
  out += cls.empty() ? "<p>" : "<p class=\"" + cls + "\">";
  out += html_escape(s);
  out += "</p>\n";
}

void Doc::table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows, const std::string& cls) {
  out += cls.empty() ? "<table>" : "<table class=\"" + cls + "\">";
  out += "<thead><tr>";
  for (const auto& h : head) out += "<th>" + html_escape(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& r : rows) {
    out += "<tr>";
    for (const auto& c : r) out += (c.cls.empty() ? "<td>" : "<td class=\"" + c.cls + "\">") + c.html + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
}

void Doc::chart(const std::string& id, int height_px) {
  out += "<div class=\"chart\" id=\"" + id + "\" style=\"height:" + std::to_string(height_px) + "px\"></div>\n";
}

}  // namespace dctwin::viz
