#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "sim/input/weather_file.h"

using namespace dctwin;

namespace {

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return path;
}

}  // namespace

TEST_CASE("weather file loader: missing file") {
  try {
    load_epw_file("/nonexistent/dir/x.epw");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems().list()[0].str() == "/nonexistent/dir/x.epw: file: expected an existing file, found no such file");
  }
}

TEST_CASE("weather file loader: problems carry file and line, line 0 is 'file'") {
  const std::string p = temp_file("dctwin_test_empty.epw", "");
  try {
    load_epw_file(p);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems().list()[0].file == p);
    CHECK(e.problems().list()[0].where == "line 1");
    CHECK(e.problems().list()[0].found == "an empty file");
  }
  std::filesystem::remove(p);

  const std::string d = temp_file("dctwin_test_nodays.ddy", " Site:Location, x, 1, 2, 3, 4;\n");
  try {
    load_design_conditions_file(d);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 3);
    CHECK(e.problems().list()[0].where == "file");
    CHECK(e.problems().list()[0].str().find("Ann Clg .4% Condns DB=>MWB") != std::string::npos);
  }
  std::filesystem::remove(d);
}

TEST_CASE("weather file loader: design conditions need .ddy or .stat") {
  const std::string p = temp_file("dctwin_test.txt", "x");
  CHECK_THROWS_AS(load_design_conditions_file(p), InputError);
  std::filesystem::remove(p);
}

TEST_CASE("weather file loader: add_weather_issues formats one line per issue") {
  Problems pr;
  add_weather_issues(pr, "a.epw", {{12, "field 7 (dry bulb) a number", "'abc'"}, {0, "a section", "none"}});
  REQUIRE(pr.size() == 2);
  CHECK(pr.list()[0].str() == "a.epw: line 12: expected field 7 (dry bulb) a number, found 'abc'");
  CHECK(pr.list()[1].str() == "a.epw: file: expected a section, found none");
}
