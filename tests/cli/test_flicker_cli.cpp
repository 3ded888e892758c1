// `dctwin flicker`: a measured RMS-voltage series in, flicker.json out (Pst per 10-minute interval,
// its maximum, Plt). The meter itself is tested against IEC 61000-4-15 in
// tests/unit/models/power/test_flickermeter.cpp; here the command's file in and out.
#include <doctest/doctest.h>

#include <sstream>

#include "core/json_reader.h"
#include "tests/support.h"

namespace dctwin {

TEST_CASE("flicker: a 20-minute kilovolt series of the Table 5 point gives two Pst near 1 and no Plt") {
  test::TempDir d("flicker-cli");
  // 110 changes per minute of 0.722 % around 13.8 kV (IEC 61000-4-15 Ed. 2.0 Table 5, 230 V lamp).
  std::ostringstream csv;
  csv << "# a comment line\nt_s,v_rms,extra\n0,13.8,x\n";
  int sign = 1;
  for (double t = 0.5; t < 1200; t += 60.0 / 110, sign = -sign) csv << t << "," << 13.8 * (1 + sign * 0.00361) << ",x\n";
  csv << "1200,13.8,x\n";
  test::write_file(d.file("v.csv"), csv.str());
  const auto r = test::run_cli("flicker " + d.file("v.csv") + " --line-hz 50 -o " + d.file("out"));
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const json j = json::parse(test::read_file(d.file("out/flicker.json")));
  REQUIRE(j["pst"].size() == 2);
  CHECK(j["pst"][0].get<double>() == doctest::Approx(1.0).epsilon(0.05));
  CHECK(j["pst"][1].get<double>() == doctest::Approx(1.0).epsilon(0.05));
  CHECK(j["pst_max"].get<double>() >= j["pst"][1].get<double>());
  CHECK(j["plt"].is_null());
  CHECK(j["plt_note"].get<std::string>().find("12") != std::string::npos);
  CHECK(j["v_ref"].get<double>() == doctest::Approx(13.8).epsilon(1e-3));
  CHECK(r.out.find("Pst max") != std::string::npos);
  // The same series on a 60 Hz line (120 V lamp, less sensitive) gives about 0.722 / 0.844 of it
  // (the two lamps' Table 5 points at 110 changes per minute).
  const auto r60 = test::run_cli("flicker " + d.file("v.csv") + " --line-hz 60 -o " + d.file("out60"));
  REQUIRE(r60.code == 0);
  const json j60 = json::parse(test::read_file(d.file("out60/flicker.json")));
  CHECK(j60["pst_max"].get<double>() / j["pst_max"].get<double>() == doctest::Approx(0.722 / 0.844).epsilon(0.05));
  CHECK(j60["butterworth_hz"].get<double>() == 42);
}

}  // namespace dctwin
