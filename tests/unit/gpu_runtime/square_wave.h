// A test trace: nvidia-smi CSV of a square wave at 10 Hz under `column` (5 s idle at 80 W; 20
// steps of 2 s at 650 W and 1 s at 250 W; 5 s idle): instantaneous samples, whatever the column's
// name says. Read as a 1-s average (what `power.draw` is inferred to be) it cannot be fitted
// within [idle, TDP]; read as instantaneous power it gives 80 / 650 / 250 W and a 2 s + 1 s step.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

namespace dctwin::test {

inline std::string square_wave_smi_csv(const std::string& column) {
  std::string out = "timestamp, index, " + column + "\n";
  char row[96];
  for (int k = 0; k < 700; ++k) {
    const double t = k / 10.0;
    const double w = t < 5.0 || t >= 65.0 ? 80.0 : std::fmod(t - 5.0, 3.0) < 2.0 ? 650.0 : 250.0;
    const int ms = k * 100;
    std::snprintf(row, sizeof row, "2024/05/14 10:%02d:%02d.%03d, 0, %.2f W\n", ms / 60000, ms / 1000 % 60, ms % 1000, w);
    out += row;
  }
  return out;
}

}  // namespace dctwin::test
