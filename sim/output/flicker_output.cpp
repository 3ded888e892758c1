#include "sim/output/flicker_output.h"

#include <algorithm>
#include <filesystem>

#include "core/atomic_file.h"
#include "sim/input/voltage_series_file.h"

namespace dctwin {

json flicker_json(const power::FlickerSeverity& r, int line_hz, const std::string& source) {
  const power::FlickerLamp& lamp = power::flicker_lamp(line_hz);
  json j;
  j["source"] = source;
  j["standard"] = "IEC 61000-4-15 Ed. 2.0 (2010) flickermeter, applied to the RMS envelope (models/power/flickermeter.h)";
  j["line_hz"] = line_hz;
  j["lamp"] = line_hz == 60 ? "120 V 60 W incandescent" : "230 V 60 W incandescent";
  j["butterworth_hz"] = lamp.lowpass_hz;
  j["sample_hz"] = power::kFlickerSampleHz;
  j["record_s"] = r.record_s;
  j["v_ref"] = r.v_ref;
  j["interval_s"] = power::kPstIntervalS;
  j["pst"] = r.pst;
  j["pst_max"] = r.pst.empty() ? json(nullptr) : json(*std::max_element(r.pst.begin(), r.pst.end()));
  j["plt_blocks"] = r.plt;
  if (r.plt.empty()) {
    j["plt"] = nullptr;
    j["plt_note"] = "Plt needs " + std::to_string(power::kPstPerPlt) + " complete 10-minute intervals (2 h); the record has " +
                    std::to_string(r.pst.size());
  } else {
    j["plt"] = *std::max_element(r.plt.begin(), r.plt.end());
  }
  return j;
}

json run_flicker_file(const std::string& csv_path, int line_hz, const std::string& out_dir) {
  const power::VoltageSeries s = load_voltage_series_file(csv_path);
  const json j = flicker_json(power::flicker_of_rms_series(s.t_s, s.v_rms, line_hz), line_hz, csv_path);
  std::filesystem::create_directories(out_dir);
  write_file_atomic((std::filesystem::path(out_dir) / "flicker.json").string(), j.dump(2) + "\n");
  return j;
}

}  // namespace dctwin
