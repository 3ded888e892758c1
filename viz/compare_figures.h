// The key figures of `dctwin compare`, side by side: each figure of two or more summaries (a run's
// summary.json, or one case of whatif.json / sweep.json) with its difference against the first.
//
//   difference            = value - first value (the figure's unit)
//   relative difference   = 100 * (value - first value) / |first value| (%); none when the first
//                           value is 0 or either value is missing
//   N-1 headroom          = the smallest failover_margin_pct of summary.json capacity[] (the
//                           margin, % of rating, of a redundant element group after one of its
//                           units is lost); "no redundant group" when capacity[] has none
//   groups without redundancy = capacity[] entries with redundancy "N" (losing a unit drops load)
//   overloads, alarms     = the number of entries of those lists
// A figure given as null (not modelled in that run: PUE without cooling, junction temperature
// without cooling.gpu_thermal) shows as "not modelled", never as 0; a key a summary lacks shows as
// "not in the file". A figure no summary has is left out of the table.
//
// Pure functions: no I/O, no globals.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace dctwin::viz {

struct CompareFigure {
  std::string key;    // the key in summary.json (or a case of whatif.json / sweep.json)
  std::string label;  // what the table calls it
  std::string unit;   // "" for a ratio
};

// The figures compared between runs, in table order (summary.json keys, and "n1_headroom_pct").
const std::vector<CompareFigure>& run_compare_figures();
// The figure of `key` as the tables name it: its label and unit from the run figures, or a few
// study-only figures (free-cooling and chiller hours, time to the first alarm); else the key itself.
CompareFigure compare_figure(const std::string& key);

// One value of one summary.
struct FigureValue {
  std::optional<double> v;  // the number; empty: not modelled, or not in the file
  bool absent = false;      // the key is not in the file
  std::string note;         // said instead of "not modelled" when there is no number
};
// `key` of a summary or a case: a number, null (not modelled), a list (its length: overloads,
// alarms), "n1_headroom_pct" and "groups_without_redundancy" derived from capacity[], or absent.
FigureValue figure_value(const json& summary, const std::string& key);

struct DiffRow {
  CompareFigure figure;
  std::vector<FigureValue> values;      // one per summary
  std::vector<std::optional<double>> diff, pct;  // against the first; empty for the first and where none
};
// One row per figure of `figures` that at least one summary has (a number or null).
std::vector<DiffRow> difference_table(const std::vector<json>& summaries, const std::vector<CompareFigure>& figures);

// A figure as the tables write it: 5 significant digits, thousands separated; "not modelled" or
// "not in the file" when there is none.
std::string figure_text(const FigureValue& v);
// A difference: "+1.25 (+3.1 %)", "-0.5", "0 (0 %)"; "—" when there is none.
std::string difference_text(const std::optional<double>& diff, const std::optional<double>& pct);

// The table as plain text for the terminal: one line per figure, one column per summary (headed by
// `names`), each after the first with its difference against the first.
std::string difference_table_text(const std::vector<DiffRow>& rows, const std::vector<std::string>& names);

}  // namespace dctwin::viz
