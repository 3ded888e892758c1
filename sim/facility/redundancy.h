// Redundancy of a group of identical units (PSUs, busways, lineups, utility feeds).
//   "N"    installed = N; no spare. A unit's loss drops the load it carried (no redundant path).
//   "N+k"  installed = N + k; all installed units share the load; after one unit is lost the
//          remaining installed - 1 share it (distributed redundancy).
//   "2N"   installed = 2N as A and B sides; each unit carries half of its pair's load; after one
//          unit is lost its twin carries the pair's whole load.
#pragma once
#include <optional>
#include <string>

namespace dctwin {

struct Redundancy {
  enum class Kind { N, NPlusK, TwoN };
  Kind kind = Kind::N;
  int k = 0;  // spares for N+k

  static std::optional<Redundancy> parse(const std::string& text);  // "N", "N+1", "N+2", "2N"
  std::string str() const;
  int installed(int needed) const;
  bool tolerates_single_failure() const { return kind != Kind::N; }
  // Per-unit load after one unit is lost, given the total load over the group and the installed
  // count. For N the survivors do not pick up the load (no path); returns the normal share.
  double failover_share(double total, int installed_units) const;
};

}  // namespace dctwin
