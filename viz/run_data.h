// A run's results as a report reads them back from its folder: summary.json and timeseries.csv
// (always), storage.csv (with campus.storage), cooling.csv (when cooling is modelled) and
// sizing.json (written by `dctwin size -o DIR`). Every problem of a file is reported, one per line
// (file, where, expected, found), before any report is made.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"

namespace dctwin::viz {

// A run's results, as read back from its folder.
struct RunData {
  std::string dir;
  json summary;
  double dt_s = 0;  // output_step_s
  double t0_s = 0;  // first row's t_s
  std::map<std::string, std::vector<double>> columns;  // every CSV column but t_s, by name (MW)
  const std::vector<double>* column(const std::string& name) const;
  // DIR/storage.csv (written only with campus.storage): every column but t_s, by name; empty
  // when the run has no battery or the file is absent.
  std::map<std::string, std::vector<double>> storage;
  const std::vector<double>* storage_column(const std::string& name) const;
  // DIR/cooling.csv (written when cooling is modelled; summary.json cooling.series): every column
  // by name, t_s included; empty cells (no PUE without IT energy, a part the run lacks) as NaN.
  std::map<std::string, std::vector<double>> cooling;
  const std::vector<double>* cooling_column(const std::string& name) const;
  // DIR/cost_emissions.csv (written with grid.price_carbon_file; sim/output/price_carbon_summary.h):
  // every column by name, t_s included; empty when absent (a run without a price series, or a
  // folder written before the file existed).
  std::map<std::string, std::vector<double>> cost_emissions;
  // DIR/sizing.json (written by `dctwin size -o DIR`): null when absent. The capacity report
  // shows it first.
  json sizing;
  // DIR/compliance.json (written by `dctwin comply -o DIR`, DIR the run's folder): null when
  // absent. The utility report's compliance section shows it.
  json compliance;
};

// One CSV line split at its commas (no quoting: dctwin's files have none).
std::vector<std::string_view> split_csv_line(std::string_view line);
// A finite number filling `s` (blanks around it allowed); false otherwise.
bool parse_double(std::string_view s, double& v);

// Reads DIR/summary.json and DIR/timeseries.csv. Throws InputError with one problem per line
// (file, where, expected, found) when either is missing or malformed.
// With sizing_only_ok, a folder holding only sizing.json (no summary.json, no timeseries.csv) is
// accepted: summary is then an empty object and there are no columns.
RunData load_run(const std::string& dir, bool sizing_only_ok = false);
// Reads storage.csv text (t_s first, then numeric columns) into rd.storage. Throws InputError
// naming `name` when it is malformed.
void parse_storage_csv(RunData& rd, const std::string& csv_text, const std::string& name = "storage.csv");
// Reads cooling.csv text into rd.cooling (empty cells as NaN). Throws InputError naming `name`.
void parse_cooling_csv(RunData& rd, const std::string& csv_text, const std::string& name = "cooling.csv");
// Reads cost_emissions.csv text into rd.cost_emissions. Throws InputError naming `name`.
void parse_cost_emissions_csv(RunData& rd, const std::string& csv_text, const std::string& name = "cost_emissions.csv");
// The same from text (for tests): `csv_name`/`summary_name` only label problems.
RunData parse_run(const std::string& summary_text, const std::string& csv_text,
                  const std::string& summary_name = "summary.json", const std::string& csv_name = "timeseries.csv");

}  // namespace dctwin::viz
