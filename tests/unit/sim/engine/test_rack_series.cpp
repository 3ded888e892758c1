// Rack series (sim/engine/rack_series.h): the loads held per rack group until they change (hold,
// flush) give the intervals of add() at every piece: the same minima and maxima, energies up to
// rounding.
#include <doctest/doctest.h>

#include <random>

#include "sim/engine/rack_series.h"
#include "tests/support.h"

using namespace dctwin;

TEST_CASE("rack series: hold/flush equals add over every piece") {
  const Scenario sc = test::load_tiny({"campus.halls.0.rows.0.racks.0.count=3", "rack_types.r1.nodes.0.count=1",
                                       "jobs.0.gpus=3", "jobs.0.jitter={\"compute_cv\": 0.1, \"cohorts\": 3}"});
  const Facility f(sc);
  const SimTime end = to_simtime(20.0), step = to_simtime(3.0);
  RackSeries by_piece(f, end, step), held(f, end, step);
  REQUIRE(by_piece.groups() >= 2);
  std::vector<double> load(f.vertex_count(), 100.0);
  std::vector<Vertex> racks;
  for (std::size_t v = 0; v < f.vertex_count(); ++v)
    if (f.graph()[v].stage == Stage::Rack) racks.push_back(v);
  std::mt19937_64 rng(7);
  SimTime t = 0;
  held.hold(0, load, nullptr);
  while (t < end) {
    const SimTime next = std::min(end, t + static_cast<SimTime>(rng() % static_cast<std::uint64_t>(to_simtime(2.5))) + 1);
    by_piece.add(t, next, load);
    t = next;
    // One rack group changes (or none), as at an engine event.
    std::vector<Vertex> changed;
    if (rng() % 4 != 0) {
      const Vertex v = racks[rng() % racks.size()];
      load[v] = 50.0 + static_cast<double>(rng() % 1000) / 7.0;
      changed.push_back(v);
    }
    held.hold(t, load, &changed);
  }
  held.flush(end);
  // Same text up to the energies' last digits: compare the mean column numerically.
  const std::string a = by_piece.csv(), b = held.csv();
  CHECK(a.size() > 100);
  std::istringstream ia(a), ib(b);
  std::string la, lb;
  int lines = 0;
  while (std::getline(ia, la) && std::getline(ib, lb)) {
    ++lines;
    if (la == lb) continue;
    // t_s,"name",racks,min_kw,mean_kw,max_kw: min and max exact, mean within rounding of the %.4f print.
    const auto tail = [](const std::string& s, int k) {
      std::size_t p = s.size();
      for (int i = 0; i < k; ++i) p = s.rfind(',', p - 1);
      return s.substr(p + 1);
    };
    CHECK(tail(la, 1) == tail(lb, 1));
    CHECK(std::stod(tail(la, 2)) == doctest::Approx(std::stod(tail(lb, 2))).epsilon(1e-6));
    CHECK(tail(la, 3).substr(0, tail(la, 3).find(',')) == tail(lb, 3).substr(0, tail(lb, 3).find(',')));
  }
  CHECK(lines > 3);
}
