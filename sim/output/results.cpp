#include "sim/output/results.h"

#include <cstdio>

#include "core/atomic_file.h"
#include "sim/facility/grid_response.h"
#include "sim/output/price_carbon_summary.h"
#include "sim/plant/cooling_plant.h"
#include "sim/plant/cooling_series.h"

namespace dctwin {

const WeatherSpec* epw_clock(const Scenario& sc) {
  return sc.cooling && sc.cooling->weather.kind == WeatherSpec::Kind::Epw && sc.cooling->weather.epw ? &sc.cooling->weather
                                                                                                    : nullptr;
}

std::string timeseries_csv(const Recorder& rec, const WeatherSpec* clock, const MeterPq* pq) {
  std::string out = clock ? "t_s,local_time" : "t_s";
  const int columns = rec.has_cooling() ? kColumnCount : kCooling;  // cooling_mw only when modelled
  for (int c = 0; c < columns; ++c) out += std::string(",") + column_name(c);
  if (pq) out += ",meter_q_mvar,meter_pf";
  out += "\n";
  out.reserve(out.size() + rec.bin_count() * (12 + kColumnCount * 12));
  char buf[64];
  for (std::size_t k = 0; k < rec.bin_count(); ++k) {
    std::snprintf(buf, sizeof buf, "%.3f", to_seconds(rec.bin_start(k)));
    out += buf;
    if (clock) out += "," + clock->local_time(to_seconds(rec.bin_start(k)));
    for (int c = 0; c < columns; ++c) {
      std::snprintf(buf, sizeof buf, ",%.6f", rec.bin_mean_w(k, c) / 1e6);
      out += buf;
    }
    if (pq && k < pq->q_var.size()) {
      std::snprintf(buf, sizeof buf, ",%.6f,%.6f", pq->q_var[k] / 1e6, pq->pf(k));
      out += buf;
    }
    out += "\n";
  }
  return out;
}

std::vector<std::string> result_files(const RunResult& r) {
  std::vector<std::string> files = {"summary.json", "timeseries.csv"};
  if (r.engine.racks) files.emplace_back("racks.csv");
  if (r.storage) files.emplace_back("storage.csv");
  if (r.grid) files.emplace_back("grid_events.csv");
  if (r.engine.cooling && r.engine.cooling->series) files.emplace_back("cooling.csv");
  if (r.summary.contains("energy_cost_usd") && r.summary["energy_cost_usd"].is_number()) files.emplace_back("cost_emissions.csv");
  return files;
}

void write_results(const std::string& dir, const Scenario& sc, const RunResult& r) {
  create_output_folder(dir);
  const WeatherSpec* clock = epw_clock(sc);
  write_file_atomic(dir + "/timeseries.csv", timeseries_csv(r.engine.recorder, clock, &r.pq));
  if (r.storage) write_file_atomic(dir + "/storage.csv", storage_csv(*r.storage, r.engine.recorder));
  if (r.engine.racks) write_file_atomic(dir + "/racks.csv", r.engine.racks->csv());
  if (r.grid) write_file_atomic(dir + "/grid_events.csv", grid_trace_csv(*r.grid));
  if (r.engine.cooling && r.engine.cooling->series)
    write_file_atomic(dir + "/cooling.csv", r.engine.cooling->series->csv(r.engine.recorder, clock));
  if (sc.price_carbon) write_file_atomic(dir + "/cost_emissions.csv", cost_emissions_csv(sc, r.engine.recorder));
  write_file_atomic(dir + "/summary.json", r.summary.dump(2) + "\n");
}

}  // namespace dctwin
