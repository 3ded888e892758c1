#include "sim/facility/redundancy.h"

namespace dctwin {

std::optional<Redundancy> Redundancy::parse(const std::string& text) {
  if (text == "N") return Redundancy{Kind::N, 0};
  if (text == "2N") return Redundancy{Kind::TwoN, 0};
  if (text.size() >= 3 && text.rfind("N+", 0) == 0 && text.size() <= 4) {
    const std::string num = text.substr(2);
    if (num.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int k = std::stoi(num);
    if (k < 1 || k > 99) return std::nullopt;
    return Redundancy{Kind::NPlusK, k};
  }
  return std::nullopt;
}

std::string Redundancy::str() const {
  switch (kind) {
    case Kind::N: return "N";
    case Kind::TwoN: return "2N";
    case Kind::NPlusK: return "N+" + std::to_string(k);
  }
  return "N";
}

int Redundancy::installed(int needed) const {
  switch (kind) {
    case Kind::N: return needed;
    case Kind::TwoN: return 2 * needed;
    case Kind::NPlusK: return needed + k;
  }
  return needed;
}

double Redundancy::failover_share(double total, int installed_units) const {
  if (installed_units <= 0) return 0.0;
  switch (kind) {
    case Kind::N: return total / installed_units;
    case Kind::TwoN: return 2.0 * total / installed_units;
    case Kind::NPlusK:
      return installed_units > 1 ? total / (installed_units - 1) : total / installed_units;
  }
  return total / installed_units;
}

}  // namespace dctwin
