#pragma once
/**
 * @file inference_load.h
 * @brief Diurnal request load of an inference service mapped to GPU power.
 *
 * ## Equations
 *
 *     utilization u(h) = u_min + (u_max − u_min) · (1 + cos(2π (h − h_peak) / 24)) / 2
 *                        (h: hour of day, 0–24; a one-harmonic daily profile)
 *     GPU power        P = P_idle + u · (P_busy − P_idle)
 *
 * ## Parameters
 *
 * | name            | unit | meaning                                     |
 * | --------------- | ---- | ------------------------------------------- |
 * | min_utilization | -    | u_min, at the daily trough                  |
 * | max_utilization | -    | u_max, at the daily peak                    |
 * | peak_hour       | h    | hour of day of the peak                     |
 * | busy_w, idle_w  | W    | GPU power fully busy (decode/prefill mix) and idle |
 *
 * ## Accuracy
 *
 * A reduced model: real request traces have weekly cycles, bursts and batching effects, and GPU
 * power is not linear in request rate (batching raises throughput per watt). The linear map and
 * one harmonic give the daily swing a utility sees; replace with a measured profile when
 * available. The diurnal shape of interactive load is widely reported (e.g. Patel et al.,
 * "Splitwise", ISCA 2024, production traces), with coefficients left to the scenario.
 */

namespace dctwin::workload {

struct DiurnalProfile {
  double min_utilization = 0.2;
  double max_utilization = 0.8;
  double peak_hour = 14;
};

double diurnal_utilization(const DiurnalProfile& p, double t_s);  // t_s since midnight of day 0
double inference_gpu_power_w(double utilization, double idle_w, double busy_w);

}  // namespace dctwin::workload
