// JsonReader: typed reads with ranges, missing keys, wrong types, non-finite values, unknown keys
// with a "did you mean" hint, and problems that carry the file and the JSON path.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/json_input.h"
#include "core/json_reader.h"

using dctwin::json;
using dctwin::JsonReader;
using dctwin::Problems;

namespace {
json parse(const std::string& text) { return json::parse(text); }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("json_reader: number in range is returned with no problem") {
  const json doc = parse(R"({"power_w": 250.5, "zero_s": 0})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  CHECK(r.number("power_w", 0, 1000) == 250.5);
  CHECK(r.number("zero_s", 0, 10) == 0.0);  // the lower bound itself is inside the range
  r.finish();
  CHECK(p.empty());
}

TEST_CASE("json_reader: number out of range names file, path, range with unit, and the value") {
  const json doc = parse(R"({"sim": {"duration_s": 11, "power_w": -1}})");
  Problems p;
  JsonReader root(doc, "$", p, "f.json");
  JsonReader sim = root.object("sim");
  sim.number("duration_s", 0, 10);  // 11 > 10
  sim.number("power_w", 0, 1e300);  // -1 < 0; no upper bound shown
  sim.finish();
  root.finish();
  REQUIRE(p.size() == 2);
  const auto& a = p.list()[0];
  CHECK(a.file == "f.json");
  CHECK(a.where == "$.sim.duration_s");
  CHECK(a.expected == "a number in [0, 10] s");
  CHECK(a.found == "11");
  CHECK(a.str() == "f.json: $.sim.duration_s: expected a number in [0, 10] s, found 11");
  const auto& b = p.list()[1];
  CHECK(b.where == "$.sim.power_w");
  CHECK(b.expected == "a number >= 0 W");
  CHECK(b.found == "-1");
}

TEST_CASE("json_reader: missing required key, and optional keys") {
  const json doc = parse(R"({"present_w": 1})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  CHECK(r.number("absent_w", 5, 10) == 5.0);  // returns min after reporting
  CHECK_FALSE(r.optional_number("also_absent_w", 0, 1).has_value());
  CHECK(r.optional_number("present_w", 0, 2).value() == 1.0);
  CHECK_FALSE(r.optional_string("note").has_value());
  r.finish();
  REQUIRE(p.size() == 1);
  CHECK(p.list()[0].where == "$.absent_w");
  CHECK(contains(p.list()[0].expected, "(required)"));
  CHECK(p.list()[0].found == "nothing (missing key)");
}

TEST_CASE("json_reader: wrong types are described") {
  const json doc = parse(R"({"a_w": "abc", "b_w": true, "c_w": null, "d_w": [1, 2], "e_w": {}, "name": 5})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  r.number("a_w", 0, 1);
  r.number("b_w", 0, 1);
  r.number("c_w", 0, 1);
  r.number("d_w", 0, 1);
  r.number("e_w", 0, 1);
  CHECK(r.string("name").empty());
  r.finish();
  REQUIRE(p.size() == 6);
  CHECK(p.list()[0].found == "\"abc\" (string)");
  CHECK(p.list()[1].found == "true (boolean)");
  CHECK(p.list()[2].found == "null");
  CHECK(p.list()[3].found == "an array of 2");
  CHECK(p.list()[4].found == "an object");
  CHECK(p.list()[5].found == "5");
  CHECK(p.list()[5].expected == "a string of 1 to 1000 characters");
}

TEST_CASE("json_reader: integers") {
  const json doc = parse(
      R"({"ok": 3, "whole_float": 4.0, "frac": 2.5, "neg": -1, "big": 18446744073709551615, "huge_float": 1e30, "str": "3"})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  CHECK(r.integer("ok", 0, 10) == 3);
  CHECK(r.integer("whole_float", 0, 10) == 4);  // 4.0 is a whole number
  r.integer("frac", 0, 10);                      // 2.5 is not
  r.integer("neg", 0, 10);                       // below min
  r.integer("big", 0, std::numeric_limits<std::int64_t>::max());  // 2^64-1 does not fit int64
  r.integer("huge_float", 0, 1000);
  r.integer("str", 0, 10);
  r.finish();
  REQUIRE(p.size() == 5);
  CHECK(p.list()[0].where == "$.frac");
  CHECK(p.list()[0].found == "2.5");
  CHECK(p.list()[0].expected == "an integer in [0, 10]");
  CHECK(p.list()[1].where == "$.neg");
  CHECK(p.list()[2].where == "$.big");
  CHECK(p.list()[3].where == "$.huge_float");
  CHECK(p.list()[4].where == "$.str");
}

TEST_CASE("json_reader: string lengths") {
  const json doc = parse(R"({"empty": "", "long": "abcdef", "fine": "abc"})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  CHECK(r.string("empty", 1, 10).empty());
  CHECK(r.string("long", 1, 5).empty());
  CHECK(r.string("fine", 1, 5) == "abc");
  r.finish();
  REQUIRE(p.size() == 2);
  CHECK(p.list()[0].found == "0 characters");
  CHECK(p.list()[1].found == "6 characters");
  CHECK(p.list()[1].expected == "a string of 1 to 5 characters");
}

TEST_CASE("json_reader: choice with a did-you-mean hint") {
  const json doc = parse(R"({"mode": "eko", "other": "double_conversion", "far": "zzzzzzzzzzzz"})");
  Problems p;
  JsonReader r(doc, "$.ups", p, "f.json");
  const std::vector<std::string> modes = {"double_conversion", "eco"};
  CHECK(r.choice("mode", modes).empty());
  CHECK(r.choice("other", modes) == "double_conversion");
  CHECK(r.choice("far", modes).empty());
  r.finish();
  REQUIRE(p.size() == 2);
  CHECK(p.list()[0].where == "$.ups.mode");
  CHECK(p.list()[0].expected == "one of \"double_conversion\", \"eco\"");
  CHECK(p.list()[0].found == "\"eko\" (string); did you mean \"eco\"?");
  CHECK_FALSE(contains(p.list()[1].found, "did you mean"));  // nothing is close to zzzz...
}

TEST_CASE("json_reader: nullable numbers") {
  const json doc = parse(R"({"a_s": null, "b_s": 5, "c_s": -5, "d_s": "x"})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  CHECK_FALSE(r.nullable_number("a_s", 0, 10).has_value());  // null: allowed
  CHECK(r.nullable_number("b_s", 0, 10).value() == 5.0);
  r.nullable_number("c_s", 0, 10);     // out of range
  r.nullable_number("d_s", 0, 10);     // wrong type
  r.nullable_number("e_s", 0, 10);     // missing: the key is required even though null is allowed
  r.finish();
  REQUIRE(p.size() == 3);
  CHECK(p.list()[0].where == "$.c_s");
  CHECK(p.list()[1].where == "$.d_s");
  CHECK(p.list()[2].where == "$.e_s");
  CHECK(contains(p.list()[2].expected, "or null"));
}

TEST_CASE("json_reader: non-finite and overflowing numbers never pass") {
  SUBCASE("NaN and infinity built in memory") {
    json doc;
    doc["nan_w"] = std::numeric_limits<double>::quiet_NaN();
    doc["inf_w"] = std::numeric_limits<double>::infinity();
    Problems p;
    JsonReader r(doc, "$", p, "f.json");
    r.number("nan_w", -1e300, 1e300);  // no range at all: still rejected for not being finite
    r.number("inf_w", -1e300, 1e300);
    r.integer("nan_w", 0, 10);
    r.finish();
    CHECK(p.size() == 3);
  }
  SUBCASE("1e400 in a file is a problem with its position, not infinity") {
    Problems p;
    const json doc = dctwin::parse_json("{\n  \"x_w\": 1e400\n}", "big.json", p);
    CHECK(doc.is_discarded());
    REQUIRE(p.size() == 1);
    CHECK(p.list()[0].file == "big.json");
    CHECK(contains(p.list()[0].str(), "1e400"));
    CHECK(p.list()[0].where == "line 2, column 10");  // `  "x_w": 1e400`: the number starts at column 10
  }
  SUBCASE("1e308 is finite but out of range") {
    Problems p;
    const json doc = dctwin::parse_json(R"({"x_w": 1e308})", "f.json", p);
    REQUIRE(p.empty());
    JsonReader r(doc, "$", p, "f.json");
    r.number("x_w", 0, 1e6);
    CHECK(p.size() == 1);
  }
}

TEST_CASE("json_reader: unknown keys are reported with a did-you-mean hint") {
  const json doc = parse(R"({"duraton_s": 5, "output_step_s": 1, "qqqqqq": 1})");
  Problems p;
  JsonReader r(doc, "$.simulation", p, "scen.json");
  r.number("duration_s", 0, 10);  // missing (misspelled in the file)
  r.number("output_step_s", 0, 10);
  r.finish();
  REQUIRE(p.size() == 3);
  CHECK(p.list()[0].where == "$.simulation.duration_s");
  CHECK(p.list()[0].found == "nothing (missing key)");
  // Unknown keys, in file order.
  CHECK(p.list()[1].file == "scen.json");
  CHECK(p.list()[1].where == "$.simulation.duraton_s");
  CHECK(p.list()[1].expected == "a known key of $.simulation (did you mean \"duration_s\"?)");
  CHECK(p.list()[1].found == "unknown key \"duraton_s\"");
  CHECK(p.list()[2].where == "$.simulation.qqqqqq");
  CHECK_FALSE(contains(p.list()[2].expected, "did you mean"));
}

TEST_CASE("json_reader: allow() and raw() mark keys as known") {
  const json doc = parse(R"({"a": 1, "b": [1]})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  r.allow("a");
  const json* b = r.raw("b");
  REQUIRE(b != nullptr);
  CHECK(b->is_array());
  CHECK(r.raw("c") == nullptr);  // absent: nullptr, and not a problem
  r.finish();
  CHECK(p.empty());
}

TEST_CASE("json_reader: nested paths through objects, arrays and maps") {
  const json doc = parse(R"({
    "halls": [ {"count": 1}, {"count": 0} ],
    "node_types": { "dgx": {"gpus": 99}, "odd.name": {"gpus": 1} }
  })");
  Problems p;
  JsonReader root(doc, "$", p, "f.json");
  auto halls = root.array_of_objects("halls", 1, 10);
  REQUIRE(halls.size() == 2);
  for (auto& h : halls) {
    h.integer("count", 1, 10);
    h.finish();
  }
  auto nts = root.map_of_objects("node_types");
  REQUIRE(nts.size() == 2);
  CHECK(nts[0].first == "dgx");  // file order
  for (auto& [name, r] : nts) {
    r.integer("gpus", 0, 64);
    r.finish();
  }
  root.finish();
  REQUIRE(p.size() == 2);
  CHECK(p.list()[0].where == "$.halls[1].count");       // count 0 < 1
  CHECK(p.list()[1].where == "$.node_types.dgx.gpus");  // 99 > 64
  CHECK(nts[1].second.path() == "$.node_types[\"odd.name\"]");  // odd characters are quoted
  CHECK(nts[0].second.path() == "$.node_types.dgx");
}

TEST_CASE("json_reader: array size limits and non-object elements") {
  const json doc = parse(R"({"a": [], "b": [1, {"x": 1}], "c": 7})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  CHECK(r.array_of_objects("a", 1, 5).empty());  // too short
  auto b = r.array_of_objects("b", 0, 5);
  CHECK(b.size() == 2);
  CHECK_FALSE(b[0].valid());  // 1 is not an object: reported once
  CHECK(b[1].valid());
  b[1].allow("x");
  b[1].finish();
  CHECK(r.array_of_objects("c", 0, 5).empty());
  r.finish();
  REQUIRE(p.size() == 3);
  CHECK(p.list()[0].where == "$.a");
  CHECK(p.list()[0].found == "an array of 0");
  CHECK(p.list()[1].where == "$.b[0]");
  CHECK(p.list()[1].expected == "an object");
  CHECK(p.list()[2].where == "$.c");
}

TEST_CASE("json_reader: a missing object is reported once, not once per nested key") {
  const json doc = parse(R"({})");
  Problems p;
  JsonReader root(doc, "$", p, "f.json");
  JsonReader sim = root.object("simulation");
  CHECK_FALSE(sim.valid());
  sim.number("duration_s", 0, 1);
  sim.integer("seed", 0, 1);
  sim.finish();
  root.finish();
  REQUIRE(p.size() == 1);
  CHECK(p.list()[0].where == "$.simulation");
}

TEST_CASE("json_reader: a non-object node is reported once") {
  const json doc = parse(R"([1, 2])");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  CHECK_FALSE(r.valid());
  r.number("x", 0, 1);
  r.finish();
  REQUIRE(p.size() == 1);
  CHECK(p.list()[0].where == "$");
  CHECK(p.list()[0].found == "an array of 2");
}

TEST_CASE("json_reader: unit from the key suffix") {
  CHECK(JsonReader::unit_of("tdp_w") == "W");
  CHECK(JsonReader::unit_of("rated_kw") == "kW");
  CHECK(JsonReader::unit_of("capacity_mw") == "MW");
  CHECK(JsonReader::unit_of("rated_kva") == "kVA");
  CHECK(JsonReader::unit_of("duration_s") == "s");
  CHECK(JsonReader::unit_of("loss_pct") == "%");
  CHECK(JsonReader::unit_of("count") == "");
  CHECK(JsonReader::unit_of("_w") == "");  // a suffix alone is not a unit-named key
  CHECK(JsonReader::unit_of("coil_approach_k") == "K");
  CHECK(JsonReader::unit_of("r_th_k_w") == "K/W");
  CHECK(JsonReader::unit_of("tcs_flow_kg_s") == "kg/s");
  CHECK(JsonReader::unit_of("grid_ramp_limit_mw_per_s") == "MW/s");
  CHECK(JsonReader::unit_of("pump_head_kpa") == "kPa");
}

TEST_CASE("json_reader: every range in a problem carries its unit, or says it is a fraction") {
  Problems p;
  const json doc = json::parse(R"({"supply_c": 50, "efficiency": 2, "phase_power_w": {"compute": 5}, "ratio": -1})");
  JsonReader r(doc, "$", p, "f.json");
  r.number("supply_c", 10, 40);
  r.number("efficiency", 0.5, 1);
  r.number("ratio", 0, 10);
  JsonReader phases = r.object("phase_power_w");
  phases.number("compute", 100, 700);
  phases.finish();
  r.finish();
  REQUIRE(p.size() == 4);
  CHECK(p.list()[0].expected == "a number in [10, 40] °C");
  CHECK(p.list()[1].expected == "a fraction in [0.5, 1]");
  CHECK(p.list()[2].expected == "a number in [0, 10]");  // dimensionless, not a fraction
  CHECK(p.list()[3].expected == "a number in [100, 700] W");
}

TEST_CASE("json_reader: closest_match and edit_distance") {
  CHECK(dctwin::edit_distance("kitten", "sitting") == 3);
  CHECK(dctwin::edit_distance("", "abc") == 3);
  CHECK(dctwin::closest_match("duraton_s", {"seed", "duration_s", "output_step_s"}) == "duration_s");
  CHECK(dctwin::closest_match("xyz", {"duration_s", "seed"}) == "");
}

// 2^63 written as a float rounds to INT64_MAX's double: it passed the range check, and the cast
// to int64 was undefined behaviour (found reviewing the float-to-integer casts after a fuzz
// finding). It is now out of range, as is any larger float.
TEST_CASE("json_reader: a float of 2^63 is out of the int64 range") {
  const json doc = parse(R"({"seed": 9.223372036854775808e18, "seed2": 9.3e18, "ok": 9.0e18})");
  Problems p;
  JsonReader r(doc, "$", p, "f.json");
  r.integer("seed", 0, std::numeric_limits<std::int64_t>::max());
  r.integer("seed2", 0, std::numeric_limits<std::int64_t>::max());
  CHECK(r.integer("ok", 0, std::numeric_limits<std::int64_t>::max()) == 9000000000000000000LL);
  r.finish();
  REQUIRE(p.size() == 2);
  CHECK(p.list()[0].where == "$.seed");
  CHECK(p.list()[1].where == "$.seed2");
}
