// cooling.csv binning (sim/plant/cooling_series.h) against hand-computed values.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "sim/plant/cooling_series.h"

using namespace dctwin;

namespace {
std::vector<std::vector<std::string>> rows_of(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cell;
    std::istringstream l(line);
    while (std::getline(l, cell, ',')) f.push_back(cell);
    if (!line.empty() && line.back() == ',') f.push_back("");
    rows.push_back(f);
  }
  return rows;
}
CoolingStep step(double db, double supply, double water_kg, double tcs = std::nan("")) {
  CoolingStep s;
  s.outdoor_dry_bulb_c = db;
  s.outdoor_wet_bulb_c = db - 5;
  s.facility_water_supply_c = supply;
  s.facility_water_return_max_c = supply + 10;
  s.tcs_supply_c = tcs;
  s.water_kg = water_kg;
  return s;
}
}  // namespace

TEST_CASE("cooling series: the interval is a whole number of output rows at least the thermal step") {
  auto width = [](double out_s, double thermal_s) {
    CoolingSeries s(to_simtime(100), to_simtime(out_s), to_simtime(thermal_s), {}, nullptr);
    return std::make_pair(to_seconds(s.interval()), s.rows_per_interval());
  };
  CHECK(width(1, 1) == std::make_pair(1.0, std::size_t{1}));
  CHECK(width(0.1, 1) == std::make_pair(1.0, std::size_t{10}));
  CHECK(width(1, 1.5) == std::make_pair(2.0, std::size_t{2}));
  CHECK(width(60, 1).first == doctest::Approx(60.0));
  CHECK(width(60, 1).second == 1);
  CoolingSeries s(to_simtime(7), to_simtime(1), to_simtime(2), {}, nullptr);
  CHECK(s.intervals() == 4);  // 0-2, 2-4, 4-6, 6-7
}

TEST_CASE("cooling series: a step across an interval boundary is shared by time, maxima go to both") {
  // Output rows of 1 s, thermal step 1.5 s: intervals of 2 s. Steps [0, 1.5) and [1.5, 3).
  CoolingSeries s(to_simtime(4), to_simtime(1), to_simtime(1.5), {true, false, false}, nullptr);
  s.add(0, to_simtime(1.5), step(10, 18, 1.5, 20));
  s.add(to_simtime(1.5), to_simtime(3), step(20, 19, 3.0));  // no CDU value in this step
  s.add(to_simtime(3), to_simtime(4), step(30, 17, 1.0));
  const auto& b = s.bins();
  REQUIRE(b.size() == 2);
  CHECK(b[0].seconds == doctest::Approx(2.0));
  CHECK(b[0].db_s / b[0].seconds == doctest::Approx((10 * 1.5 + 20 * 0.5) / 2.0));  // 12.5
  CHECK(b[0].water_kg == doctest::Approx(1.5 + 3.0 * 0.5 / 1.5));                   // 2.5
  CHECK(b[1].water_kg == doctest::Approx(3.0 * 1.0 / 1.5 + 1.0));                   // 3.0
  CHECK(b[0].facility_water_supply_max_c == 19);
  CHECK(b[1].facility_water_supply_max_c == 19);
  CHECK(b[0].tcs_supply_max_c == 20);
  CHECK(std::isinf(b[1].tcs_supply_max_c));  // never set in interval 1: an empty cell

  // PUE and WUE from the recorder's rows of each interval: meter 150 W, IT 100 W in 0-2 s;
  // meter 300 W, IT 0 W in 2-4 s (no PUE there).
  Recorder rec(to_simtime(4), to_simtime(1));
  PowerRow p{};
  p[kUtility] = 150;
  p[kIt] = 100;
  rec.add(0, to_simtime(2), p, ItBreakdown{});
  p[kUtility] = 300;
  p[kIt] = 0;
  rec.add(to_simtime(2), to_simtime(4), p, ItBreakdown{});
  const auto rows = rows_of(s.csv(rec));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0][0] == "t_s");
  CHECK(rows[0][8] == "tcs_supply_max_c");
  CHECK(rows[1][0] == "0.000");
  CHECK(std::stod(rows[1][1]) == doctest::Approx(1.5));
  // 2.5 kg = 2.5 / 0.997 L over 200 J = 200 / 3.6e6 kWh of IT energy.
  CHECK(std::stod(rows[1][3]) == doctest::Approx(2.5 / 0.997));
  CHECK(std::stod(rows[1][2]) == doctest::Approx(2.5 / 0.997 / (200.0 / 3.6e6)));
  CHECK(std::stod(rows[1][4]) == doctest::Approx(12.5));
  CHECK(rows[2][1].empty());  // no IT energy: no PUE
  CHECK(rows[2][2].empty());
  CHECK(rows[2][8].empty());  // no TCS value
}

TEST_CASE("cooling series: a checkpoint round trip, and closing a partial run drops what it did not reach") {
  CoolingSeries a(to_simtime(10), to_simtime(1), to_simtime(1), {}, nullptr);
  for (int i = 0; i < 4; ++i) a.add(to_simtime(i), to_simtime(i + 1), step(10 + i, 18, 1));
  CheckpointWriter w;
  a.save(w);
  const std::string bytes = w.take();
  CoolingSeries b(to_simtime(10), to_simtime(1), to_simtime(1), {}, nullptr);
  CheckpointReader r(bytes);
  b.load(r);
  Recorder rec(to_simtime(10), to_simtime(1));
  CHECK(a.csv(rec) == b.csv(rec));
  b.close(to_simtime(4));
  CHECK(b.intervals() == 4);
  CHECK(rows_of(b.csv(rec)).size() == 5);  // header + 4 intervals
}
