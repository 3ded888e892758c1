#pragma once
/**
 * @file inference_load.h
 * @brief The default daily shape of an inference service's request rate (a one-harmonic diurnal
 * profile), as a fraction of the service's capacity. GPU power follows from the request rate
 * through the serving model in models/workload/llm_serving.h.
 *
 * ## Equations
 *
 *     utilization u(h) = u_min + (u_max − u_min) · (1 + cos(2π (h − h_peak) / 24)) / 2
 *                        (h: hour of day, 0–24; a one-harmonic daily profile)
 *     request rate     λ(t) = u(h) / c   per GPU (c: GPU-seconds per request at the batch limit,
 *                                         workload::gpu_s_per_request)
 *
 * ## Parameters
 *
 * | name            | unit | meaning                                     |
 * | --------------- | ---- | ------------------------------------------- |
 * | min_utilization | -    | u_min, at the daily trough                  |
 * | max_utilization | -    | u_max, at the daily peak                    |
 * | peak_hour       | h    | hour of day of the peak                     |
 *
 * ## Accuracy
 *
 * A reduced model: real request traces have weekly cycles and bursts. One harmonic gives the daily
 * swing a utility sees; replace it with a measured request-rate trace (`inference.request_trace`)
 * when available. The diurnal shape of interactive load is widely reported (e.g. Patel et al.,
 * "Splitwise", ISCA 2024, production traces), with coefficients left to the scenario.
 */

namespace dctwin::workload {

struct DiurnalProfile {
  double min_utilization = 0.2;
  double max_utilization = 0.8;
  double peak_hour = 14;
};

double diurnal_utilization(const DiurnalProfile& p, double t_s);  // t_s since midnight of day 0

}  // namespace dctwin::workload
