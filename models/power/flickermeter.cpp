#include "models/power/flickermeter.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

namespace dctwin::power {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kHighPassHz = 0.05;
constexpr double kSmoothingS = 0.3;
constexpr int kButterworthOrder = 6;

// IEC 61000-4-15 Ed. 2.0: weighting filter (5.5), Butterworth corner per line frequency, and the
// 8.8 Hz entries of Tables 1a (230 V: 0.250 %) and 1b (120 V: 0.321 %).
constexpr FlickerLamp kLamp230{1.74802, 4.05981, 9.15494, 2.27979, 1.22535, 21.9, 35.0, 0.00250};
constexpr FlickerLamp kLamp120{1.6357, 4.167375, 9.077169, 2.939902, 1.394468, 17.31512, 42.0, 0.00321};

using cplx = std::complex<double>;

// An analog section (b2 s^2 + b1 s + b0) / (a2 s^2 + a1 s + a0).
struct Analog {
  double b2, b1, b0, a2, a1, a0;
  cplx at(double f_hz) const {
    const cplx s(0, 2 * kPi * f_hz);
    return (b2 * s * s + b1 * s + b0) / (a2 * s * s + a1 * s + a0);
  }
};

std::vector<Analog> analog_sections(const FlickerLamp& L) {
  std::vector<Analog> out;
  const double wh = 2 * kPi * kHighPassHz;
  out.push_back({0, 1, 0, 0, 1, wh});
  // Butterworth: pole pairs with damping sin((2k-1) pi / 2n); corner pre-warped for the bilinear map.
  const double fs = kFlickerSampleHz;
  const double wc = 2 * fs * std::tan(kPi * L.lowpass_hz / fs);
  for (int k = 1; k <= kButterworthOrder / 2; ++k) {
    const double zeta = std::sin((2 * k - 1) * kPi / (2 * kButterworthOrder));
    out.push_back({0, 0, wc * wc, 1, 2 * zeta * wc, wc * wc});
  }
  const double l = 2 * kPi * L.lambda_hz, w1 = 2 * kPi * L.w1_hz, w2 = 2 * kPi * L.w2_hz;
  const double w3 = 2 * kPi * L.w3_hz, w4 = 2 * kPi * L.w4_hz;
  out.push_back({0, L.k * w1, 0, 1, 2 * l, w1 * w1});
  out.push_back({0, 1 / w2, 1, 1 / (w3 * w4), 1 / w3 + 1 / w4, 1});
  out.push_back({0, 0, 1, 0, kSmoothingS, 1});
  return out;
}

}  // namespace

const FlickerLamp& flicker_lamp(int line_hz) { return line_hz == 60 ? kLamp120 : kLamp230; }
bool flicker_line_supported(int line_hz) { return line_hz == 50 || line_hz == 60; }

double FlickerChain::Biquad::run(double x) {  // transposed direct form II
  const double y = b0 * x + z1;
  z1 = b1 * x - a1 * y + z2;
  z2 = b2 * x - a2 * y;
  return y;
}

FlickerChain::FlickerChain(int line_hz, double first_v_rel) {
  const FlickerLamp& lamp = flicker_lamp(line_hz);
  const std::vector<Analog> sections = analog_sections(lamp);
  const double c = 2 * kFlickerSampleHz;  // bilinear: s = c (1 - 1/z) / (1 + 1/z)
  for (const Analog& a : sections) {
    if (a.a2 == 0 && a.b2 == 0) {  // first order: (b1 s + b0) / (a1 s + a0), no pole at z = -1
      const double A0 = a.a1 * c + a.a0;
      stages_.push_back({(a.b1 * c + a.b0) / A0, (a.b0 - a.b1 * c) / A0, 0, (a.a0 - a.a1 * c) / A0, 0});
      continue;
    }
    const double B0 = a.b2 * c * c + a.b1 * c + a.b0, B1 = 2 * a.b0 - 2 * a.b2 * c * c, B2 = a.b2 * c * c - a.b1 * c + a.b0;
    const double A0 = a.a2 * c * c + a.a1 * c + a.a0, A1 = 2 * a.a0 - 2 * a.a2 * c * c, A2 = a.a2 * c * c - a.a1 * c + a.a0;
    stages_.push_back({B0 / A0, B1 / A0, B2 / A0, A1 / A0, A2 / A0});
  }
  smoothing_ = stages_.size() - 1;
  // Block 4 gain: the steady state of the 8.8 Hz sine of Table 1. x = (1 + d/2 sin wt)^2 carries
  // d sin wt; y has amplitude a = d |H(8.8 Hz)|; y^2 = a^2/2 (1 - cos 2wt), whose ripple the
  // smoothing passes with |L(17.6 Hz)|: max P_inst = G a^2/2 (1 + |L(17.6)|) = 1.
  cplx h = 1;
  for (std::size_t i = 0; i + 1 < sections.size(); ++i) h *= sections[i].at(8.8);
  const double a = lamp.unit_dvv_8_8hz * std::abs(h);
  gain_ = 2 / (a * a * (1 + std::abs(sections.back().at(17.6))));
  // The high-pass starts settled on the first sample: its state gives output 0 for a constant input.
  Biquad& hp = stages_.front();
  const double x0 = first_v_rel * first_v_rel;
  hp.z1 = -hp.b0 * x0;  // y = b0 x + z1 = 0, and z1 = b1 x - a1 y stays there (b1 = -b0)
}

double FlickerChain::step(double v_rel) {
  double y = v_rel * v_rel;
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    if (i == smoothing_) y = y * y;
    y = stages_[i].run(y);
  }
  return gain_ * y;
}

namespace {

// Level exceeded `pct` % of the samples: the (1 - pct/100) quantile, linear between order
// statistics. `v` is sorted ascending.
double exceeded(const std::vector<double>& v, double pct) {
  const double pos = (1 - pct / 100) * static_cast<double>(v.size() - 1);
  const std::size_t i = static_cast<std::size_t>(std::floor(pos));
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

}  // namespace

double short_term_severity(std::vector<double>& p) {
  if (p.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(p.begin(), p.end());
  auto P = [&](double pct) { return exceeded(p, pct); };
  const double p01 = P(0.1);
  const double p1s = (P(0.7) + P(1) + P(1.5)) / 3;
  const double p3s = (P(2.2) + P(3) + P(4)) / 3;
  const double p10s = (P(6) + P(8) + P(10) + P(13) + P(17)) / 5;
  const double p50s = (P(30) + P(50) + P(80)) / 3;
  const double sum = 0.0314 * p01 + 0.0525 * p1s + 0.0657 * p3s + 0.28 * p10s + 0.08 * p50s;
  return std::sqrt(std::max(0.0, sum));
}

double long_term_severity(const std::vector<double>& pst) {
  if (pst.empty()) return std::numeric_limits<double>::quiet_NaN();
  double s = 0;
  for (double x : pst) s += x * x * x;
  return std::cbrt(s / static_cast<double>(pst.size()));
}

FlickerSeverity flicker_of_rms_series(const std::vector<double>& t, const std::vector<double>& v, int line_hz) {
  FlickerSeverity out;
  if (t.size() < 2 || t.size() != v.size()) return out;
  out.record_s = t.back() - t.front();
  double area = 0;
  for (std::size_t i = 0; i + 1 < t.size(); ++i) area += v[i] * (t[i + 1] - t[i]);
  out.v_ref = area / out.record_s;
  const auto per_interval = static_cast<std::size_t>(std::llround(kPstIntervalS * kFlickerSampleHz));
  const auto intervals = static_cast<std::size_t>(std::floor(out.record_s / kPstIntervalS + 1e-9));
  FlickerChain chain(line_hz, v.front() / out.v_ref);
  std::vector<double> p(per_interval);
  std::size_t row = 0;
  for (std::size_t k = 0; k < intervals; ++k) {
    for (std::size_t j = 0; j < per_interval; ++j) {
      const double tk = t.front() + static_cast<double>(k * per_interval + j) / kFlickerSampleHz;
      while (row + 1 < t.size() && t[row + 1] <= tk) ++row;  // the row holding at tk
      p[j] = chain.step(v[row] / out.v_ref);
    }
    out.pst.push_back(short_term_severity(p));
  }
  for (std::size_t b = 0; b + kPstPerPlt <= out.pst.size(); b += kPstPerPlt)
    out.plt.push_back(long_term_severity(std::vector<double>(out.pst.begin() + static_cast<long>(b),
                                                              out.pst.begin() + static_cast<long>(b + kPstPerPlt))));
  return out;
}

}  // namespace dctwin::power
