// gpu_runtime/common/trace.h — a GPU power trace in memory, dctwin's own trace file format, and the
// importers for nvidia-smi CSV and DCGM `dcgmi dmon` text output.
//
// Plain C++ (no CUDA), built with and without CUDA. The file formats are described field by field in
// gpu_runtime/README.md ("Trace formats"); the parsers below are the executable form of that text.
//
// Errors: every reader collects problems (file, "line N", what was expected, what was found) and
// throws dctwin::InputError when the input is unusable: the CLI prints one line per problem and
// exits 2 (docs/design.md, "Exit codes"). Missing columns, numbers that do not parse, NaN or infinite values,
// and time that does not increase (per GPU) are all errors; nothing is silently dropped or clipped.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dctwin::gpu {

/// One GPU's samples, column-wise. A field the source did not record is NaN in every sample and
/// its `has_*` flag is false; a recorded field is finite in every sample (the readers refuse NaN).
struct GpuSeries {
  int gpu = 0;                        ///< index as the source numbers it
  std::vector<double> t_s;            ///< s, from the trace's origin, strictly increasing
  std::vector<double> power_w;        ///< instantaneous power (NVML_FI_DEV_POWER_INSTANT), W
  std::vector<double> power_avg_w;    ///< power averaged over `average_window_s` (NVML_FI_DEV_POWER_AVERAGE), W
  std::vector<double> energy_j;       ///< total-energy counter, J (NVML reports mJ)
  std::vector<double> temperature_c;  ///< GPU temperature, °C
  std::vector<double> sm_clock_mhz;   ///< SM clock, MHz
  std::vector<double> power_limit_w;  ///< enforced power limit, W
  std::vector<std::uint64_t> throttle_reasons;  ///< NVML clocks-event reasons bitmask (0 when absent)
  /// Coolant the GPU's heat sink saw (cold-plate supply water or inlet air), °C: dctwin traces'
  /// column coolant_c or inlet_c (nvidia-smi and DCGM do not record it). Empty unless has_coolant.
  std::vector<double> coolant_c;
  bool has_power = false, has_power_avg = false, has_energy = false, has_temperature = false,
       has_sm_clock = false, has_power_limit = false, has_throttle = false, has_coolant = false;

  std::size_t size() const { return t_s.size(); }
};

/// A phase marker: the host time at which the emulator started a phase (after synchronising the
/// previous one). `phase` is one of idle, compute, communication, optimizer, checkpoint, or "end".
struct PhaseMarker {
  double t_s = 0;
  std::string phase;
  long step = -1;   ///< training step index, -1 outside steps (idle lead-in / lead-out)
};

struct Trace {
  std::string file;                      ///< where it was read from (for messages)
  std::string format;                    ///< "dctwin", "nvidia-smi" or "dcgm"
  double average_window_s = 1.0;         ///< window of the averaged power field, s
  std::map<std::string, std::string> meta;  ///< dctwin header metadata (device, power_limit_w, ...)
  std::vector<GpuSeries> gpus;           ///< one per GPU, by GPU index
  std::vector<PhaseMarker> markers;      ///< empty for external traces
  /// The source columns read as the instant and the averaged power field, as the source names
  /// them (nvidia-smi header cell, DCGM field, dctwin column); "" when the trace has none.
  std::string instant_column, average_column;

  /// The enforced power limit of the trace (W): from the header `power_limit_w`, else the median of
  /// GPU `gpu_pos`'s power_limit_w column; NaN when neither is known.
  double power_limit_w(std::size_t gpu_pos = 0) const;
};

enum class TraceFormat { Auto, Dctwin, NvidiaSmi, Dcgm };

/// "auto", "dctwin", "nvidia-smi", "dcgm" (for --format); throws std::invalid_argument otherwise.
TraceFormat trace_format_from_string(const std::string& s);
const char* to_string(TraceFormat f);

/// Guesses the format from the first non-empty lines: "# dctwin-trace" -> dctwin; a CSV header with
/// "power.draw" -> nvidia-smi; a "#Entity" header with DCGM field names -> dcgm. Auto when unknown.
TraceFormat detect_trace_format(const std::string& text);

/// Parses `text` (the contents of `file`) in `format` (Auto: detect; an undetectable format is a
/// problem). Throws InputError listing every problem found (file, line, expected, found).
/// `dcgm_delay_s`: `dcgmi dmon` prints no timestamps; its rows come every --delay (default 1000 ms),
/// so sample k of a GPU is placed at k * dcgm_delay_s.
Trace parse_trace(const std::string& text, const std::string& file, TraceFormat format = TraceFormat::Auto,
                  double dcgm_delay_s = 1.0);

/// Reads and parses a file; a missing or unreadable file is an InputError too.
Trace read_trace_file(const std::string& path, TraceFormat format = TraceFormat::Auto, double dcgm_delay_s = 1.0);

/// Writes `trace` in dctwin's own format (see README.md). Throws std::runtime_error on I/O failure.
std::string format_dctwin_trace(const Trace& trace);
void write_dctwin_trace(const Trace& trace, const std::string& path);

}  // namespace dctwin::gpu
