// The HTML kit of the reports: escaping (of text, of JSON and of scripts inside <script>), table
// cells, and the document builder every section writes into. Every string that comes from a
// scenario goes through html_escape; the embedded data through script_json, in which '<', '>' and
// '&' are \u-escaped, so no string can close the <script> element that holds them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"

namespace dctwin::viz {

// Text safe inside HTML element content and attribute values: & < > " ' escaped.
std::string html_escape(std::string_view s);
// JSON text safe inside a <script> element: '<', '>', '&', U+2028 and U+2029 as \u escapes.
std::string script_json(const json& j);
// A script's text inside <script>: "</script" (any case) cannot occur in it. Within a JS string or
// regular expression "<\\/" means "</", so the replacement keeps the code's meaning there.
std::string safe_inline_script(std::string_view js);

// One table cell: its HTML (already escaped) and its class ("num", "missing", "bad", ...).
struct Cell {
  std::string html;
  std::string cls;
};
// A cell of text (escaped here), and a right-aligned number cell.
Cell c(const std::string& text, const std::string& cls = "");
Cell cnum(const std::string& text);

// The document being written, in order: sections, paragraphs, tables and chart placeholders (the
// charts' data are collected apart and embedded once, at the end of the page).
class Doc {
 public:
  std::string out;
  void raw(std::string_view s) { out += s; }
  void text(std::string_view s) { out += html_escape(s); }
  // Opens <section id=ID> with its <h2>; end_section() closes it.
  void h2(const std::string& id, const std::string& title);
  void end_section() { out += "</section>\n"; }
  void p(const std::string& s, const std::string& cls = "");
  // A note on where a figure comes from, and a note of what the run does not hold.
  void src(const std::string& s) { p(s, "src"); }
  void missing(const std::string& s) { p(s, "missing"); }
  void table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows, const std::string& cls = "");
  // The placeholder the report's script draws chart `id` into.
  void chart(const std::string& id, int height_px);
};

}  // namespace dctwin::viz
