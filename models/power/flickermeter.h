#pragma once
/**
 * @file flickermeter.h
 * @brief Flickermeter after IEC 61000-4-15 Ed. 2.0 (2010): instantaneous flicker sensation P_inst,
 * short-term severity Pst (10 min) and long-term severity Plt (2 h) of an RMS-voltage series.
 *
 * ## Equation (the standard's blocks; s is the Laplace variable, f in Hz, w = 2 pi f)
 *
 *     block 1  x(t)   = (v(t) / v_ref)^2                       v_ref: mean RMS voltage of the record
 *     block 2  (squaring demodulator; see "RMS input" below)
 *     block 3  y      = H_hp(s) H_bw(s) K(s) x                  demodulation and weighting filters
 *              H_hp   = s / (s + w_hp),  f_hp = 0.05 Hz         first-order high-pass
 *              H_bw   = 6th-order Butterworth low-pass, f_c = 35 Hz (50 Hz line) or 42 Hz (60 Hz line)
 *              K(s)   = k w1 s / (s^2 + 2 lambda s + w1^2) * (1 + s/w2) / ((1 + s/w3)(1 + s/w4))
 *     block 4  P_inst = G * (y^2 smoothed by 1 / (1 + 0.3 s))   first-order, 300 ms
 *              G      such that a sinusoidal fluctuation of dV/V = 0.250 % (230 V lamp) or 0.321 %
 *                     (120 V lamp) at 8.8 Hz gives a steady-state maximum of P_inst = 1 (Tables 1a, 1b)
 *     block 5  P_x    = level of P_inst exceeded x % of the interval (exact order statistics of every
 *                       sample, linear between neighbours: the limit of the standard's classifier)
 *              P1s  = (P0.7 + P1 + P1.5) / 3,  P3s = (P2.2 + P3 + P4) / 3,
 *              P10s = (P6 + P8 + P10 + P13 + P17) / 5,  P50s = (P30 + P50 + P80) / 3
 *              Pst  = sqrt(0.0314 P0.1 + 0.0525 P1s + 0.0657 P3s + 0.28 P10s + 0.08 P50s)
 *              Plt  = cbrt( sum_{i=1..12} Pst_i^3 / 12 )
 *
 * Lamp-eye weighting coefficients (IEC 61000-4-15 Ed. 2.0, 5.5; the same values are in the public
 * flicker_sim reference implementation of Solcept AG / CMI, github.com/qwtb/qwtb,
 * qwtb/alg_flicker_sim/flicker_sim.m):
 *
 * | lamp             | k       | lambda / 2 pi | w1 / 2 pi | w2 / 2 pi | w3 / 2 pi | w4 / 2 pi |
 * | ---------------- | ------- | ------------- | --------- | --------- | --------- | --------- |
 * | 230 V 60 W (50 Hz line) | 1.74802 | 4.05981 | 9.15494 | 2.27979 | 1.22535 | 21.9     |
 * | 120 V 60 W (60 Hz line) | 1.6357  | 4.167375 | 9.077169 | 2.939902 | 1.394468 | 17.31512 |
 *
 * ## RMS input (how this meter differs from one fed with the waveform)
 *
 * The standard's meter is fed with the voltage waveform u(t) = sqrt(2) V(t) sin(w_line t); its
 * squaring demodulator gives u^2 = V(t)^2 (1 - cos 2 w_line t), and the Butterworth low-pass of
 * block 3 removes the 100/120 Hz term (attenuation (100/35)^6 ~ 550 at 50 Hz). What remains is
 * V(t)^2, the square of the RMS envelope. This meter is fed with that envelope directly: it applies
 * blocks 3 to 5 to (V/v_ref)^2 and synthesises no carrier. The line frequency still chooses the lamp
 * and the Butterworth corner. The RMS series is read as piecewise constant (each row holds until the
 * next) and sampled at kFlickerSampleHz; a series sampled at step dt cannot carry fluctuations
 * above 1 / (2 dt), so the meter sees only what the series resolves.
 *
 * ## Validity
 *
 * Relative fluctuations small against 1 (the standard's range, dV/V up to ~20 %). Pst needs a full
 * 10-minute interval, Plt 12 of them; intervals start at the first sample. The filters start at
 * rest with the high-pass settled on the first sample (no start-up transient). Filters are
 * discretised by the bilinear transform (Butterworth corner pre-warped) at kFlickerSampleHz.
 *
 * Test points: IEC 61000-4-15 Ed. 2.0 Table 5 (rectangular fluctuations, changes per minute, that
 * give Pst = 1.00 +- 5 %); tests/unit/models/power/test_flickermeter.cpp.
 */
#include <cstddef>
#include <vector>

namespace dctwin::power {

/// Sampling rate of the filters and of P_inst (Hz). Above twice the 42 Hz corner with margin; the
/// standard asks at least 50 Hz for the classifier.
inline constexpr double kFlickerSampleHz = 2000.0;
/// Length of one Pst interval (s) and intervals per Plt.
inline constexpr double kPstIntervalS = 600.0;
inline constexpr std::size_t kPstPerPlt = 12;

/// The lamp model for a line frequency: 50 -> 230 V 60 W lamp, 60 -> 120 V 60 W lamp.
struct FlickerLamp {
  double k, lambda_hz, w1_hz, w2_hz, w3_hz, w4_hz;  ///< weighting filter (table above)
  double lowpass_hz;                                ///< Butterworth corner of block 3
  double unit_dvv_8_8hz;                            ///< dV/V (fraction) of 8.8 Hz sine giving P_inst = 1
};
/// Nullptr-free lookup: line_hz must be 50 or 60 (anything else gives the 50 Hz lamp; validate first).
const FlickerLamp& flicker_lamp(int line_hz);
bool flicker_line_supported(int line_hz);

/// The filter chain of blocks 3 and 4 on a stream of relative voltages (v / v_ref), one sample at a
/// time at kFlickerSampleHz; returns P_inst.
class FlickerChain {
 public:
  FlickerChain(int line_hz, double first_v_rel);
  double step(double v_rel);

 private:
  struct Biquad {
    double b0, b1, b2, a1, a2, z1 = 0, z2 = 0;
    double run(double x);
  };
  std::vector<Biquad> stages_;  // high-pass, Butterworth (3), weighting (2), smoothing
  double gain_ = 1;
  std::size_t smoothing_ = 0;  // index of the smoothing stage
};

/// Pst of one interval's P_inst samples (reordered in place).
double short_term_severity(std::vector<double>& p_inst);
/// Plt of Pst values (the standard: 12 consecutive); empty input gives NaN.
double long_term_severity(const std::vector<double>& pst);

struct FlickerSeverity {
  std::vector<double> pst;          ///< one per complete 10-minute interval
  std::vector<double> plt;          ///< one per complete 2-hour block (12 Pst)
  double record_s = 0;              ///< length of the record evaluated
  double v_ref = 0;                 ///< mean RMS voltage (the input's unit)
};

/// The whole meter on an RMS series (t strictly increasing, v > 0; the caller validates), each row
/// holding until the next; the last row ends the record.
FlickerSeverity flicker_of_rms_series(const std::vector<double>& t_s, const std::vector<double>& v, int line_hz);

}  // namespace dctwin::power
