// JSON input: parse errors with line and column, duplicate keys with their path, empty and binary
// files, file reading problems, and `--set` overrides.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "core/json_input.h"

using dctwin::json;
using dctwin::Problems;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

json must_parse(const std::string& text) {
  Problems p;
  json doc = dctwin::parse_json(text, "t.json", p);
  REQUIRE(p.empty());
  return doc;
}
}  // namespace

TEST_CASE("json_input: a syntax error is reported as line and column") {
  // Line 3 is `  "b": x`: two spaces, "b" in columns 3-5, ':' 6, ' ' 7, 'x' at column 8.
  Problems p;
  const json doc = dctwin::parse_json("{\n  \"a\": 1,\n  \"b\": x\n}", "bad.json", p);
  CHECK(doc.is_discarded());
  REQUIRE(p.size() == 1);
  CHECK(p.list()[0].file == "bad.json");
  CHECK(p.list()[0].where == "line 3, column 8");
  CHECK(p.list()[0].expected == "valid JSON");
  CHECK(contains(p.list()[0].found, "syntax error"));
}

TEST_CASE("json_input: a missing comma and a trailing comma") {
  {
    // `{"a": 1 "b": 2}`: the unexpected token "b" occupies columns 9-11; the position reported
    // is its last character (column 11).
    Problems p;
    dctwin::parse_json(R"({"a": 1 "b": 2})", "t.json", p);
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].where == "line 1, column 11");
    CHECK(contains(p.list()[0].found, "unexpected string literal"));
  }
  {
    // `[1, 2,]`: the ']' after the trailing comma is at column 7.
    Problems p;
    dctwin::parse_json("[1, 2,]", "t.json", p);
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].where == "line 1, column 7");
  }
}

TEST_CASE("json_input: an unterminated document") {
  // A whole document cut before its last "]}": {"a": [1, 2
  const std::string whole = R"({"a": [1, 2]})";
  Problems p;
  const json doc = dctwin::parse_json(whole.substr(0, whole.size() - 2), "t.json", p);
  CHECK(doc.is_discarded());
  REQUIRE(p.size() == 1);
  CHECK(contains(p.list()[0].where, "line 1"));
}

TEST_CASE("json_input: duplicate keys are reported with their JSON path") {
  SUBCASE("nested object") {
    Problems p;
    const json doc = dctwin::parse_json(R"({"a": {"b": 1, "c": 2, "b": 3}})", "dup.json", p);
    CHECK(doc.is_discarded());
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].file == "dup.json");
    CHECK(p.list()[0].where == "$.a.b");
    CHECK(p.list()[0].found == "a duplicate key");
  }
  SUBCASE("inside the second element of an array") {
    Problems p;
    dctwin::parse_json(R"({"jobs": [{"x": 1}, {"y": [1, 2], "x": 1, "x": 2}]})", "dup.json", p);
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].where == "$.jobs[1].x");
  }
  SUBCASE("after a nested array of objects") {
    Problems p;
    dctwin::parse_json(R"({"h": [{"r": [{"k": 1}, {"k": 2}]}, {"r": [], "r": []}]})", "dup.json", p);
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].where == "$.h[1].r");
  }
  SUBCASE("top level, twice") {
    Problems p;
    dctwin::parse_json(R"({"name": "a", "name": "b", "seed": 1, "seed": 2})", "dup.json", p);
    REQUIRE(p.size() == 2);
    CHECK(p.list()[0].where == "$.name");
    CHECK(p.list()[1].where == "$.seed");
  }
  SUBCASE("the same key in sibling objects is fine") {
    must_parse(R"({"a": {"x": 1}, "b": {"x": 1}, "c": [{"x": 1}, {"x": 2}]})");
  }
}

TEST_CASE("json_input: empty files") {
  for (const std::string text : {"", "   \n\t\r\n"}) {
    Problems p;
    const json doc = dctwin::parse_json(text, "empty.json", p);
    CHECK(doc.is_discarded());
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].found == "an empty file");
  }
}

TEST_CASE("json_input: binary garbage and invalid UTF-8 give one problem, no crash") {
  {
    const std::string garbage("\x00\xff\xfe\x01\x80{\"a\"", 10);
    Problems p;
    const json doc = dctwin::parse_json(garbage, "bin.json", p);
    CHECK(doc.is_discarded());
    REQUIRE(p.size() == 1);
    CHECK(contains(p.list()[0].where, "line 1, column 1"));
  }
  {
    Problems p;
    dctwin::parse_json("{\"a\": \"\xff\xfe\"}", "utf8.json", p);
    REQUIRE(p.size() == 1);
    CHECK(contains(p.list()[0].where, "line 1"));
  }
}

TEST_CASE("json_input: read_text_file problems") {
  namespace fs = std::filesystem;
  {
    Problems p;
    CHECK(dctwin::read_text_file("/nonexistent/dir/x.json", p).empty());
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].file == "/nonexistent/dir/x.json");
    CHECK(p.list()[0].found == "no such file");
  }
  {
    Problems p;
    CHECK(dctwin::read_text_file(fs::temp_directory_path().string(), p).empty());
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].found == "a directory");
  }
  {
    const fs::path f = fs::temp_directory_path() / ("dctwin-test-size-" + std::to_string(getpid()) + ".json");
    { std::ofstream(f) << "{\"a\": 12345}"; }  // 12 bytes
    Problems p;
    CHECK(dctwin::read_text_file(f.string(), p, 11).empty());
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].expected == "at most 11 bytes");
    CHECK(p.list()[0].found == "12 bytes");
    Problems ok;
    CHECK(dctwin::read_text_file(f.string(), ok, 12) == "{\"a\": 12345}");
    CHECK(ok.empty());
    fs::remove(f);
  }
}

TEST_CASE("json_input: --set with dots and [i] indices") {
  json doc = must_parse(R"({"simulation": {"duration_s": 10}, "jobs": [{"gpus": 8}, {"gpus": 16}]})");
  Problems p;
  dctwin::apply_overrides(doc, {"simulation.duration_s=60", "jobs.0.gpus=4", "jobs[1].gpus=32"}, p);
  CHECK(p.empty());
  CHECK(doc["simulation"]["duration_s"] == 60);
  CHECK(doc["jobs"][0]["gpus"] == 4);
  CHECK(doc["jobs"][1]["gpus"] == 32);
}

TEST_CASE("json_input: --set values are JSON when they parse, strings otherwise") {
  json doc = must_parse(R"({"a": 1})");
  Problems p;
  dctwin::apply_overrides(doc,
                          {"num=1e-3", "int=600", "quoted=\"600\"", "bare=test-run", "nul=null", "yes=true",
                           "obj={\"idle_w\": 1, \"active_w\": 2}", "arr=[1,2]", "empty=", "eq=a=b"},
                          p);
  CHECK(p.empty());
  CHECK(doc["num"].is_number_float());
  CHECK(doc["num"].get<double>() == 1e-3);
  CHECK(doc["int"].is_number_integer());
  CHECK(doc["int"] == 600);
  CHECK(doc["quoted"].is_string());
  CHECK(doc["quoted"] == "600");
  CHECK(doc["bare"] == "test-run");
  CHECK(doc["nul"].is_null());
  CHECK(doc["yes"] == true);
  CHECK(doc["obj"]["active_w"] == 2);
  CHECK(doc["arr"].size() == 2);
  CHECK(doc["empty"] == "");      // nothing after '=': the empty string
  CHECK(doc["eq"] == "a=b");      // only the first '=' separates path and value
}

TEST_CASE("json_input: --set on a missing path gives a hint") {
  json doc = must_parse(R"({"simulation": {"duration_s": 10}})");
  Problems p;
  dctwin::apply_overrides(doc, {"simulaton.duration_s=5"}, p);
  REQUIRE(p.size() == 1);
  CHECK(p.list()[0].file == "--set");
  CHECK(p.list()[0].where == "$.simulaton");
  CHECK(p.list()[0].expected == "an existing key (did you mean \"simulation\"?)");
  CHECK(p.list()[0].found == "no such key");
  CHECK(doc["simulation"]["duration_s"] == 10);  // unchanged
}

TEST_CASE("json_input: --set index out of range and bad syntax") {
  json doc = must_parse(R"({"jobs": [{"gpus": 8}], "n": 3})");
  Problems p;
  dctwin::apply_overrides(doc,
                          {"jobs.1.gpus=4",   // only index 0 exists
                           "jobs.x.gpus=4",   // not an index
                           "jobs.1=4",        // last segment out of range
                           "n.sub=1",         // 3 is not an object
                           "no-equals-sign",  // no '='
                           "=5",              // empty path
                           "...=5"},          // a path of separators only
                          p);
  REQUIRE(p.size() == 7);
  CHECK(p.list()[0].where == "$.jobs[1]");
  CHECK(p.list()[0].expected == "an index below 1");
  CHECK(p.list()[1].where == "$.jobs[x]");
  CHECK(p.list()[2].where == "$.jobs[1]");
  CHECK(p.list()[3].where == "$.n");
  CHECK(p.list()[3].found == "3");
  CHECK(p.list()[4].where == "no-equals-sign");
  CHECK(p.list()[5].where == "=5");
  CHECK(p.list()[6].found == "an empty path");
  for (const auto& pr : p.list()) CHECK(pr.file == "--set");
  CHECK(doc["jobs"].size() == 1);
  CHECK(doc["jobs"][0]["gpus"] == 8);
}

TEST_CASE("json_input: --set applies in order (a later override wins)") {
  json doc = must_parse(R"({"a": 1})");
  Problems p;
  dctwin::apply_overrides(doc, {"a=2", "a=3"}, p);
  CHECK(p.empty());
  CHECK(doc["a"] == 3);
}
