// The flickermeter on a measured RMS-voltage file and its result file `flicker.json`
// (`dctwin flicker`): Pst per 10-minute interval, its maximum, Plt per 2-hour block and their
// maximum (null, with the reason, when the record is shorter than 2 hours). The meter is
// models/power/flickermeter.h.
#pragma once
#include <string>

#include "core/json_reader.h"
#include "models/power/flickermeter.h"

namespace dctwin {

// The document of flicker.json for a result of the meter.
json flicker_json(const power::FlickerSeverity& r, int line_hz, const std::string& source);

// Reads `csv_path` (InputError on a bad file), runs the meter, writes DIR/flicker.json atomically
// (the folder is created) and returns the document.
json run_flicker_file(const std::string& csv_path, int line_hz, const std::string& out_dir);

}  // namespace dctwin
