// `dctwin compare`: one single-file HTML report (the page machinery of viz/report.h: the embedded
// style sheet, report.js and Apache ECharts, no network request) that puts two or more runs, or the
// cases of one study folder, side by side.
//
// Runs (RUN_A RUN_B ...: folders written by `dctwin run`): the key figures of each summary.json
// with the difference and % difference against the first run (viz/compare_figures.h), and the
// series overlaid on t_s: facility power, and, when any run has them, cooling power
// (timeseries.csv cooling_mw) and PUE (cooling.csv). Each series is drawn as per-column envelopes
// (viz/envelope.h: min, mean and max of each of `columns` equal time columns) when it has more
// samples than columns. Runs of different durations or output steps are said to differ, and their
// totals then cover different spans.
// A study folder (WHATIF_DIR or SWEEP_DIR: whatif.json or sweep.json, viz/study_table.h): every case
// in one table (its varied values, then its figures), the first `side_by_side` cases side by side
// with their differences against case 0, and a bar chart per figure that differs between cases.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "viz/run_data.h"
#include "viz/study_table.h"

namespace dctwin::viz {

struct CompareInput {
  std::vector<RunData> runs;        // two or more; empty for a study folder
  std::vector<std::string> names;   // each run's name in the tables: its folder's name (the path when two share one)
  std::optional<StudyTable> study;  // one whatif or sweep folder
};

// Reads the folders: two or more run folders, or one whatif/sweep folder. Throws InputError with
// one line per problem of every folder (missing, neither a run nor a study folder, an unreadable
// or malformed file, a study folder among runs, a single run).
CompareInput load_compare_input(const std::vector<std::string>& dirs);

struct CompareOptions {
  std::string generated;              // when the report was made
  std::string_view echarts_js;        // the library's text; empty renders no charts (tests)
  std::size_t columns = 1500;         // envelope columns of the overlaid series (about one per pixel)
  std::size_t side_by_side = 8;       // study cases shown side by side with their differences
  std::size_t chart_cases = 200;      // study cases drawn in the bar charts
};

// The complete HTML document.
std::string render_compare(const CompareInput& in, const CompareOptions& options);

// The key-figure table for the terminal (viz/compare_figures.h difference_table_text): the runs,
// or the first `side_by_side` cases of a study.
std::string compare_terminal_table(const CompareInput& in, std::size_t side_by_side = 8);

// compare.html in the current folder for runs; DIR/compare.html for a study folder.
std::string default_compare_path(const std::vector<std::string>& dirs);

}  // namespace dctwin::viz
