// The reports' kit: HTML and <script> escaping, the document builder and its cells (viz/html.h),
// numbers and times as text (viz/format.h), lenient JSON field reads (viz/json_fields.h) and the
// compact numbers of the embedded chart data (viz/report_page.h).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "viz/format.h"
#include "viz/html.h"
#include "viz/json_fields.h"
#include "viz/report_page.h"

using namespace dctwin;
using namespace dctwin::viz;

namespace {
const std::string kHostile = "<script>alert(1)</script>";
}  // namespace

TEST_CASE("report html: escaping of text and of JSON inside <script>") {
  CHECK(html_escape(kHostile) == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(html_escape("a&b \"c\" 'd'") == "a&amp;b &quot;c&quot; &#39;d&#39;");
  const std::string j = script_json(json{{"name", kHostile}, {"x", "a&b\xe2\x80\xa8"}});
  CHECK(j.find('<') == std::string::npos);
  CHECK(j.find('>') == std::string::npos);
  CHECK(j.find('&') == std::string::npos);
  CHECK(j.find("\\u2028") != std::string::npos);
  CHECK(json::parse(j)["name"] == kHostile);  // still the same data once parsed
}

TEST_CASE("report kit: a script cannot close its <script> element") {
  CHECK(safe_inline_script("a</script>b</SCRIPT x</div>") == "a<\\/script>b<\\/SCRIPT x</div>");
  CHECK(safe_inline_script("no tags") == "no tags");
}

TEST_CASE("report kit: the document builder escapes text and writes sections, tables and charts") {
  Doc d;
  d.h2("id", "A & B");
  d.p("x<y", "warn");
  d.p("plain");
  d.src("s");
  d.missing("m");
  d.table({"h<"}, {{c("a&"), cnum("1"), c("b", "bad")}}, "exec");
  d.table({"h"}, {});
  d.chart("c1", 300);
  d.end_section();
  CHECK(d.out ==
        "<section id=\"id\"><h2>A &amp; B</h2>\n"
        "<p class=\"warn\">x&lt;y</p>\n"
        "<p>plain</p>\n"
        "<p class=\"src\">s</p>\n"
        "<p class=\"missing\">m</p>\n"
        "<table class=\"exec\"><thead><tr><th>h&lt;</th></tr></thead><tbody>\n"
        "<tr><td>a&amp;</td><td class=\"num\">1</td><td class=\"bad\">b</td></tr>\n"
        "</tbody></table>\n"
        "<table><thead><tr><th>h</th></tr></thead><tbody>\n</tbody></table>\n"
        "<div class=\"chart\" id=\"c1\" style=\"height:300px\"></div>\n"
        "</section>\n");
}

TEST_CASE("report kit: numbers, times and money as text") {
  CHECK(fmt(12345.678, 1) == "12,345.7");
  CHECK(fmt(-1234567, 0) == "-1,234,567");
  CHECK(fmt(999, 2) == "999.00");
  CHECK(fmt(0.5, 3) == "0.500");
  CHECK(fmt_g(0.1) == "0.1");
  CHECK(fmt_g(123456) == "1.235e+05");
  CHECK(clock(3725.5) == "1:02:05.5");
  CHECK(clock(90000) == "25:00:00.0");  // hours are not wrapped
  CHECK(fmt_t(3725.5) == "3,725.5 s (1:02:05.5)");
  CHECK(fmt_duration(3 * 86400) == "3.00 days");
  CHECK(fmt_duration(3 * 3600) == "3.00 h");
  CHECK(fmt_duration(600) == "10.0 min");
  CHECK(fmt_duration(60) == "60 s");
  CHECK(interval_label(0.1) == "100 ms");
  CHECK(interval_label(1) == "1 s");
  CHECK(interval_label(900) == "15 min");
  CHECK(interval_label(7200) == "2 h");
  CHECK(usd(1234567.4) == "$1,234,567");
}

TEST_CASE("report kit: lenient field reads and the compact chart numbers") {
  const json s = {{"a", 1.5}, {"b", "x"}, {"n", nullptr}};
  CHECK(num(s, "a") == 1.5);
  CHECK_FALSE(num(s, "b"));
  CHECK_FALSE(num(s, "missing"));
  CHECK_FALSE(num(json::array(), "a"));
  CHECK(str(s, "b") == "x");
  CHECK(str(s, "a") == "1.5");  // any other value as its JSON text
  CHECK(str(s, "missing", "fb") == "fb");
  CHECK(str(s, "n", "fb") == "fb");
  const json r = round_series({1.23456789, std::nan(""), std::numeric_limits<double>::infinity(), 1234567.0}, 3);
  CHECK(r.dump() == "[1.23,null,null,1230000.0]");
}
