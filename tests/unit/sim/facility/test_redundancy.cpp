// Redundancy: parsing "N", "N+k", "2N"; installed units; per-unit load after one unit is lost.
#include <doctest/doctest.h>

#include "sim/facility/redundancy.h"

using dctwin::Redundancy;

TEST_CASE("redundancy: parse the valid forms") {
  const auto n = Redundancy::parse("N");
  REQUIRE(n);
  CHECK(n->kind == Redundancy::Kind::N);
  CHECK(n->str() == "N");
  CHECK_FALSE(n->tolerates_single_failure());

  const auto n1 = Redundancy::parse("N+1");
  REQUIRE(n1);
  CHECK(n1->kind == Redundancy::Kind::NPlusK);
  CHECK(n1->k == 1);
  CHECK(n1->str() == "N+1");
  CHECK(n1->tolerates_single_failure());

  const auto n2 = Redundancy::parse("N+2");
  REQUIRE(n2);
  CHECK(n2->k == 2);
  CHECK(n2->str() == "N+2");

  const auto n99 = Redundancy::parse("N+99");
  REQUIRE(n99);
  CHECK(n99->k == 99);

  const auto two = Redundancy::parse("2N");
  REQUIRE(two);
  CHECK(two->kind == Redundancy::Kind::TwoN);
  CHECK(two->str() == "2N");
  CHECK(two->tolerates_single_failure());
}

TEST_CASE("redundancy: bad strings are rejected") {
  for (const char* bad : {"", "n", "N+", "N+0", "N+100", "N+-1", "N+ 1", "N+1 ", " N", "n+1", "2n", "3N",
                          "N+1+1", "N-1", "2N+1", "N+a", "N+01x", "NN"}) {
    CAPTURE(bad);
    CHECK_FALSE(Redundancy::parse(bad).has_value());
  }
}

TEST_CASE("redundancy: installed units") {
  CHECK(Redundancy::parse("N")->installed(4) == 4);
  CHECK(Redundancy::parse("N+1")->installed(4) == 5);
  CHECK(Redundancy::parse("N+2")->installed(4) == 6);
  CHECK(Redundancy::parse("2N")->installed(4) == 8);
  CHECK(Redundancy::parse("2N")->installed(1) == 2);
}

TEST_CASE("redundancy: failover share") {
  // A group carrying 1200 W in total.
  // N, 4 installed: no redundant path, the survivors keep their normal share 1200 / 4 = 300 W.
  CHECK(Redundancy::parse("N")->failover_share(1200, 4) == doctest::Approx(300));
  // N+1 with N = 3: 4 installed share 300 W each; after one is lost 3 share 1200 -> 400 W.
  CHECK(Redundancy::parse("N+1")->failover_share(1200, 4) == doctest::Approx(400));
  // N+2 with N = 4: 6 installed (200 W each); after one is lost 5 share it -> 240 W.
  CHECK(Redundancy::parse("N+2")->failover_share(1200, 6) == doctest::Approx(240));
  // 2N with N = 2: 4 installed (300 W each); a lost unit's twin carries the pair's 600 W.
  CHECK(Redundancy::parse("2N")->failover_share(1200, 4) == doctest::Approx(600));
  // 2N with N = 1: the surviving unit carries everything.
  CHECK(Redundancy::parse("2N")->failover_share(1200, 2) == doctest::Approx(1200));
  // Degenerate counts do not divide by zero.
  CHECK(Redundancy::parse("N+1")->failover_share(1200, 0) == 0.0);
}
