// dctwin flicker FILE.csv --line-hz 50|60 [-o DIR]
// Runs the IEC 61000-4-15 flickermeter (models/power/flickermeter.h) on a measured RMS-voltage
// series (columns t_s, v_rms; any unit) and writes DIR/flicker.json (sim/output/flicker_output.h).
// This file only reads the options and prints.
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "sim/output/flicker_output.h"

namespace dctwin::cli {

namespace {

struct FlickerArgs {
  std::string csv;
  int line_hz = 0;  // required
  std::string out = "results/flicker";
};

int flicker(const FlickerArgs& a) {
  const json j = run_flicker_file(a.csv, a.line_hz, a.out);
  std::printf("lamp                %s, %d Hz line\n", j["lamp"].get<std::string>().c_str(), a.line_hz);
  std::printf("record              %.1f s, %zu Pst intervals of 10 min\n", j["record_s"].get<double>(), j["pst"].size());
  std::printf("Pst max             %s\n", j["pst_max"].is_null() ? "n/a" : figure_text("%.3f", j["pst_max"].get<double>()).c_str());
  std::printf("Plt                 %s\n", j["plt"].is_null() ? ("n/a (" + j["plt_note"].get<std::string>() + ")").c_str()
                                                              : figure_text("%.3f", j["plt"].get<double>()).c_str());
  std::printf("results             %s/flicker.json\n", a.out.c_str());
  return 0;
}

}  // namespace

Command add_flicker_command(CLI::App& app) {
  auto a = std::make_shared<FlickerArgs>();
  auto* sub = app.add_subcommand("flicker",
                                 "Flicker severity (Pst, Plt; IEC 61000-4-15) of a measured RMS-voltage series (CSV t_s,v_rms)");
  sub->add_option("csv", a->csv, "CSV file with columns t_s (s) and v_rms (any unit); each row holds until the next")->required();
  sub->add_option("--line-hz", a->line_hz, "Line frequency: 50 (230 V lamp, 35 Hz filter) or 60 (120 V lamp, 42 Hz filter)")
      ->check(CLI::IsMember({50, 60}))
      ->required();
  add_out_option(sub, a->out, "Output folder; writes flicker.json", "DIR");
  return {sub, [a] { return flicker(*a); }};
}

}  // namespace dctwin::cli
