// The table of a study folder as `dctwin compare` reads it back: DIR/whatif.json (`dctwin whatif`)
// or DIR/sweep.json (`dctwin sweep`). One case per row: its label (the varied values), its figures
// (the keys of the case object, read by viz/compare_figures.h) and, for a sweep case that failed,
// its error.
//
//   whatif.json  {"cases": [{"case": 0, "<varied path>": value, ..., "<figure>": number|null, ...,
//                 "plant_failures": [...]}], "period": text|null}; the varied paths are the keys of
//                 a case that are neither figures (sim/studies/whatif.h whatif_columns) nor "case",
//                 "plant_failures" or other bookkeeping; an "axes" list, when present, names them.
//   sweep.json   {"figures": [keys], "parameters": [paths], "cases": [{"case", "grid_point", "draw",
//                 "parameters": {path: value}, "<figure>": number|null, ..., "error": text|null}]}
// Every problem (not JSON, no cases list, a case that is no object) is reported, one per line.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "viz/compare_figures.h"

namespace dctwin::viz {

struct StudyTable {
  std::string kind;  // "whatif" or "sweep"
  std::string file;  // the path read
  std::string period;  // whatif: the weather period's description; "" without one
  std::vector<std::string> parameters;  // the varied paths
  std::vector<CompareFigure> figures;   // in the study's column order
  std::vector<json> cases;              // each case's object (its figures at the top level)
  std::vector<std::string> labels;      // "case 3: cooling.x=1, y=2"
  std::vector<std::string> errors;      // a failed sweep case's error; "" when it ran
};

// The table from text. `kind` is "whatif" or "sweep"; `file` names problems. Throws InputError.
StudyTable parse_study_table(const std::string& text, const std::string& kind, const std::string& file);
// DIR/whatif.json or DIR/sweep.json (whichever is there; whatif.json when both); nullopt when
// neither is. Throws InputError when the file is unreadable or malformed.
std::optional<StudyTable> load_study_folder(const std::string& dir);

}  // namespace dctwin::viz
