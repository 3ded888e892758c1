// gpu_runtime/common/trace.cpp — readers and writer of GPU power traces (see trace.h and the
// "Trace formats" section of gpu_runtime/README.md).
#include "gpu_runtime/common/trace.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/atomic_file.h"
#include "core/json_input.h"
#include "core/problems.h"
#include "models/text/text_fields.h"

namespace dctwin::gpu {

namespace {

using text::Line;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxTraceBytes = std::size_t{2} << 30;  // 2 GiB
constexpr std::size_t kMaxProblems = 20;                      // beyond this, one summary line

// Found text in a trace message: in double quotes, at most 60 characters.
std::string quote_text(std::string_view s) { return text::quote(s, '"', 60); }

// Collects the problems of one trace (at most kMaxProblems, then one line with the count of the
// rest) and throws them as an InputError naming the file: "file: line N: expected ..., found ...",
// "file: file: ..." for a problem of the whole text.
class Reporter {
 public:
  explicit Reporter(std::string file) : file_(std::move(file)) {}
  void add(std::size_t line, std::string expected, std::string found) {
    collector_.add(line, std::move(expected), std::move(found));
  }
  [[noreturn]] void raise() {
    collector_.finish();
    Problems problems;
    for (const auto& i : issues_)
      problems.add(file_, i.line == 0 ? std::string("file") : "line " + std::to_string(i.line), i.expected, i.found);
    throw InputError(problems);
  }
  void throw_if_any() {
    if (collector_.any()) raise();
  }

 private:
  std::string file_;
  text::ParseIssues issues_;
  text::Collector collector_{issues_, kMaxProblems};
};

// A finite number; optional unit suffix (e.g. "72.45 W", "1980 MHz") must equal `unit` when given.
// Returns false and reports otherwise. "nan"/"inf" are refused explicitly.
bool parse_number(std::string_view cell, std::string_view unit, double& out, Reporter& rep, std::size_t line,
                  const std::string& column) {
  const auto v = text::parse_real(text::without_unit(cell, unit));
  if (!v) {
    rep.add(line, "a number" + (unit.empty() ? std::string() : " in " + std::string(unit)) + " in column " + column,
            quote_text(cell));
    return false;
  }
  if (!std::isfinite(*v)) {
    rep.add(line, "a finite number in column " + column, quote_text(cell));
    return false;
  }
  out = *v;
  return true;
}

bool parse_bitmask(std::string_view cell, std::uint64_t& out, Reporter& rep, std::size_t line, const std::string& column) {
  const auto v = text::parse_uint64(cell);
  if (!v) {
    rep.add(line, "an integer bitmask (decimal or 0x hex) in column " + column, quote_text(cell));
    return false;
  }
  out = *v;
  return true;
}

// A GPU index: an integer 0 .. kMaxGpuIndex (a larger one is a corrupt cell, and would not fit an int).
constexpr double kMaxGpuIndex = 1e6;
bool parse_gpu_index(std::string_view cell, int& out, Reporter& rep, std::size_t line, const std::string& column) {
  double g = 0;
  if (!parse_number(cell, "", g, rep, line, column)) return false;
  if (g < 0 || g != std::floor(g) || g > kMaxGpuIndex) {
    rep.add(line, "a GPU index (integer 0 .. 1000000) in column " + column, quote_text(cell));
    return false;
  }
  out = static_cast<int>(g);
  return true;
}

// Per-GPU accumulation with the line of every sample, for the time and completeness checks.
struct SeriesBuilder {
  GpuSeries s;
  std::vector<std::size_t> lines;
};

// The builder of GPU `gpu`, a new one when it has none yet.
SeriesBuilder& builder_for(std::vector<SeriesBuilder>& b, int gpu) {
  for (auto& x : b)
    if (x.s.gpu == gpu) return x;
  b.emplace_back();
  b.back().s.gpu = gpu;
  return b.back();
}

// Checks strictly increasing time per GPU and that each recorded field is present in every sample.
void finish_series(std::vector<SeriesBuilder>& builders, Reporter& rep, Trace& tr) {
  for (auto& b : builders) {
    GpuSeries& s = b.s;
    for (std::size_t i = 1; i < s.t_s.size(); ++i)
      if (!(s.t_s[i] > s.t_s[i - 1])) {
        std::ostringstream f;
        f.precision(10);
        f << "t = " << s.t_s[i] << " s after t = " << s.t_s[i - 1] << " s (line " << b.lines[i - 1] << ")";
        rep.add(b.lines[i], "time increasing for GPU " + std::to_string(s.gpu), f.str());
      }
    auto check = [&](std::vector<double>& v, bool& has, const char* name) {
      std::size_t missing = 0, first_missing = 0;
      for (std::size_t i = 0; i < v.size(); ++i)
        if (std::isnan(v[i]) && missing++ == 0) first_missing = i;
      has = missing == 0 && !v.empty();
      if (missing > 0 && missing < v.size())
        rep.add(b.lines[first_missing], std::string("a value of ") + name + " for GPU " + std::to_string(s.gpu) +
                                            " (other samples have one)",
                "an empty or N/A cell (" + std::to_string(missing) + " such samples)");
      if (missing == v.size()) std::fill(v.begin(), v.end(), kNaN);
    };
    check(s.power_w, s.has_power, "instant power");
    check(s.power_avg_w, s.has_power_avg, "average power");
    check(s.energy_j, s.has_energy, "energy");
    check(s.temperature_c, s.has_temperature, "temperature");
    // A GPU reading outside what any GPU reports (sensor error, or Fahrenheit / Kelvin).
    for (std::size_t i = 0; s.has_temperature && i < s.size(); ++i)
      if (!(s.temperature_c[i] >= -40.0 && s.temperature_c[i] <= 150.0)) {
        rep.add(b.lines[i], "a GPU temperature in [-40, 150] °C for GPU " + std::to_string(s.gpu), std::to_string(s.temperature_c[i]));
        break;
      }
    check(s.coolant_c, s.has_coolant, "coolant temperature");
    for (std::size_t i = 0; s.has_coolant && i < s.size(); ++i)
      if (!(s.coolant_c[i] >= -40.0 && s.coolant_c[i] <= 100.0)) {
        rep.add(b.lines[i], "a coolant or inlet temperature in [-40, 100] °C for GPU " + std::to_string(s.gpu), std::to_string(s.coolant_c[i]));
        break;
      }
    if (!s.has_coolant) s.coolant_c.clear();
    check(s.sm_clock_mhz, s.has_sm_clock, "SM clock");
    check(s.power_limit_w, s.has_power_limit, "power limit");
    if (!s.has_power && !s.has_power_avg && !s.t_s.empty())
      rep.add(b.lines.front(), "a power value (instant or average) for GPU " + std::to_string(s.gpu), "none in any sample");
    if (s.t_s.size() < 2 && !s.t_s.empty())
      rep.add(b.lines.front(), "at least 2 samples for GPU " + std::to_string(s.gpu), std::to_string(s.t_s.size()));
    tr.gpus.push_back(std::move(s));
  }
  std::stable_sort(tr.gpus.begin(), tr.gpus.end(), [](const GpuSeries& a, const GpuSeries& b) { return a.gpu < b.gpu; });
  if (tr.gpus.empty()) rep.add(0, "at least one sample", "none");
}

void push_empty(GpuSeries& s) {
  s.power_w.push_back(kNaN);
  s.power_avg_w.push_back(kNaN);
  s.energy_j.push_back(kNaN);
  s.temperature_c.push_back(kNaN);
  s.sm_clock_mhz.push_back(kNaN);
  s.power_limit_w.push_back(kNaN);
  s.throttle_reasons.push_back(0);
  s.coolant_c.push_back(kNaN);
}

// An empty or "N/A"-like cell (nvidia-smi, DCGM): a value not recorded.
bool is_na(std::string_view cell) {
  const std::string_view c = text::trim(cell);
  if (c.empty()) return true;
  for (const char* na : {"[n/a]", "n/a", "[not supported]", "not supported", "[unknown error]"})
    if (text::iequals(c, na)) return true;
  return false;
}

Trace empty_trace(const std::string& file, const char* format) {
  Trace tr;
  tr.file = file;
  tr.format = format;
  return tr;
}

// The trimmed comma-separated fields of a data row; nullopt, reported, when their count is not the
// header's.
std::optional<std::vector<std::string_view>> row_fields(const Line& line, std::size_t header_fields, Reporter& rep) {
  auto cells = text::split_trimmed(line.text, ',');
  if (cells.size() != header_fields) {
    rep.add(line.number, std::to_string(header_fields) + " comma-separated fields (as in the header)",
            std::to_string(cells.size()));
    return std::nullopt;
  }
  return cells;
}

// ---- dctwin ------------------------------------------------------------------------------------

const std::vector<std::string> kDctwinColumns = {"record",        "t_s",          "gpu",           "power_w",
                                                  "power_avg_w",   "energy_j",     "temperature_c", "sm_clock_mhz",
                                                  "power_limit_w", "throttle_reasons", "phase",     "step"};
// What the reader also takes (the writer writes kDctwinColumns only): the coolant or inlet
// temperature the GPU's heat sink saw, °C, under either name (GpuSeries::coolant_c).
const std::vector<std::string> kDctwinReadColumns = [] {
  std::vector<std::string> c = kDctwinColumns;
  c.insert(c.end(), {"coolant_c", "inlet_c"});
  return c;
}();
const std::vector<std::string> kPhases = {"idle", "compute", "communication", "optimizer", "checkpoint", "end"};

// The "# dctwin-trace 1" line and the "# key: value" lines after it (into tr.meta, with the checks
// of average_window_s and power_limit_w). Returns the index of the line after them.
std::size_t read_dctwin_header(const std::vector<Line>& lines, Trace& tr, Reporter& rep) {
  if (lines.empty() || !lines[0].text.starts_with("# dctwin-trace")) {
    rep.add(1, "the first line \"# dctwin-trace 1\"", lines.empty() ? "an empty file" : quote_text(lines[0].text));
    rep.raise();
  }
  if (text::trim(lines[0].text) != "# dctwin-trace 1")
    rep.add(1, "format version 1 (\"# dctwin-trace 1\")", quote_text(lines[0].text));
  std::size_t i = 1;
  for (; i < lines.size() && lines[i].text.starts_with("#"); ++i) {
    const std::string_view body = text::trim(lines[i].text.substr(1));
    const auto colon = body.find(':');
    if (colon == std::string_view::npos) {
      if (!body.empty()) rep.add(lines[i].number, "a header line \"# key: value\"", quote_text(lines[i].text));
      continue;
    }
    tr.meta[std::string(text::trim(body.substr(0, colon)))] = std::string(text::trim(body.substr(colon + 1)));
  }
  if (auto it = tr.meta.find("average_window_s"); it != tr.meta.end()) {
    double w = 0;
    if (parse_number(it->second, "", w, rep, 0, "header average_window_s") && w > 0) tr.average_window_s = w;
    else if (w <= 0) rep.add(0, "header average_window_s > 0", quote_text(it->second));
  }
  if (auto it = tr.meta.find("power_limit_w"); it != tr.meta.end()) {
    double w = 0;
    if (!parse_number(it->second, "", w, rep, 0, "header power_limit_w") || w <= 0)
      if (w <= 0) rep.add(0, "header power_limit_w > 0", quote_text(it->second));
  }
  return i;
}

// Position of each of kDctwinColumns in the column header `line` (-1 when absent); reports unknown
// and missing columns.
std::vector<int> dctwin_columns(const Line& line, const std::vector<std::string_view>& header, Reporter& rep) {
  std::vector<int> col(kDctwinReadColumns.size(), -1);
  for (std::size_t c = 0; c < header.size(); ++c) {
    auto it = std::find(kDctwinReadColumns.begin(), kDctwinReadColumns.end(), header[c]);
    if (it == kDctwinReadColumns.end()) {
      const std::string hint = closest_match(std::string(header[c]), kDctwinReadColumns);
      rep.add(line.number, "a known column (" + std::string("record, t_s, gpu, power_w, ...") + ")",
              quote_text(header[c]) + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
      continue;
    }
    col[static_cast<std::size_t>(it - kDctwinReadColumns.begin())] = static_cast<int>(c);
  }
  if (col[12] >= 0 && col[13] >= 0)
    rep.add(line.number, "one coolant column (coolant_c or inlet_c)", "both, header " + quote_text(line.text));
  for (const char* req : {"record", "t_s", "gpu"}) {
    const auto k = static_cast<std::size_t>(std::find(kDctwinColumns.begin(), kDctwinColumns.end(), req) - kDctwinColumns.begin());
    if (col[k] < 0) rep.add(line.number, std::string("a column named ") + req, "header " + quote_text(line.text));
  }
  if (col[3] < 0 && col[4] < 0) rep.add(line.number, "a power column (power_w or power_avg_w)", "header " + quote_text(line.text));
  return col;
}

// One data row of a dctwin trace: its cells by kDctwinColumns index ("" for an absent column).
struct DctwinRow {
  const std::vector<std::string_view>& cells;
  const std::vector<int>& col;
  std::size_t line;
  std::string_view operator()(std::size_t k) const {
    return col[k] < 0 ? std::string_view() : cells[static_cast<std::size_t>(col[k])];
  }
};

// A "marker" row at time t into tr.markers.
void read_dctwin_marker(const DctwinRow& cell, double t, Trace& tr, Reporter& rep) {
  const std::size_t ln = cell.line;
  PhaseMarker m;
  m.t_s = t;
  m.phase = std::string(cell(10));
  if (std::find(kPhases.begin(), kPhases.end(), m.phase) == kPhases.end()) {
    rep.add(ln, "a phase (idle, compute, communication, optimizer, checkpoint, end) in column phase", quote_text(m.phase));
    return;
  }
  if (!cell(11).empty()) {
    double st = 0;
    if (parse_number(cell(11), "", st, rep, ln, "step")) {
      // 2^53: every integer below it is exact in a double
      if (st < 0 || st != std::floor(st) || st > 9007199254740992.0)
        rep.add(ln, "a step number (integer 0 .. 2^53) in column step", quote_text(cell(11)));
      else
        m.step = static_cast<long>(st);
    }
  }
  if (!tr.markers.empty() && !(t >= tr.markers.back().t_s))
    rep.add(ln, "marker times not decreasing",
            "t = " + std::string(cell(1)) + " s after " + std::to_string(tr.markers.back().t_s) + " s");
  tr.markers.push_back(m);
}

// A "sample" row at time t into its GPU's series.
void read_dctwin_sample(const DctwinRow& cell, double t, std::vector<SeriesBuilder>& builders, Reporter& rep) {
  const std::size_t ln = cell.line;
  int gpu = 0;
  if (!parse_gpu_index(cell(2), gpu, rep, ln, "gpu")) return;
  SeriesBuilder& b = builder_for(builders, gpu);
  GpuSeries& s = b.s;
  s.t_s.push_back(t);
  b.lines.push_back(ln);
  push_empty(s);
  auto num = [&](std::size_t k, std::vector<double>& v, const char* name) {
    const std::string_view c = cell(k);
    if (c.empty()) return;
    double x = 0;
    if (parse_number(c, "", x, rep, ln, name)) v.back() = x;
  };
  num(3, s.power_w, "power_w");
  num(4, s.power_avg_w, "power_avg_w");
  num(5, s.energy_j, "energy_j");
  num(6, s.temperature_c, "temperature_c");
  num(7, s.sm_clock_mhz, "sm_clock_mhz");
  num(8, s.power_limit_w, "power_limit_w");
  num(12, s.coolant_c, "coolant_c");
  num(13, s.coolant_c, "inlet_c");
  if (!cell(9).empty()) {
    std::uint64_t r = 0;
    if (parse_bitmask(cell(9), r, rep, ln, "throttle_reasons")) {
      s.throttle_reasons.back() = r;
      s.has_throttle = true;
    }
  }
}

Trace parse_dctwin(const std::string& text, const std::string& file) {
  Reporter rep(file);
  Trace tr = empty_trace(file, "dctwin");
  const auto lines = text::split_lines(text);
  std::size_t i = read_dctwin_header(lines, tr, rep);
  if (i >= lines.size()) {
    rep.add(lines.size(), "the column header line after the # header", "end of file");
    rep.raise();
  }
  const auto header = text::split_trimmed(lines[i].text, ',');
  const std::vector<int> col = dctwin_columns(lines[i], header, rep);
  if (col[3] >= 0) tr.instant_column = "power_w";
  if (col[4] >= 0) tr.average_column = "power_avg_w";
  rep.throw_if_any();

  std::vector<SeriesBuilder> builders;
  for (++i; i < lines.size(); ++i) {
    if (text::trim(lines[i].text).empty() || lines[i].text[0] == '#') continue;
    const auto cells = row_fields(lines[i], header.size(), rep);
    if (!cells) continue;
    const DctwinRow cell{*cells, col, lines[i].number};
    double t = 0;
    if (!parse_number(cell(1), "", t, rep, cell.line, "t_s")) continue;
    if (cell(0) == "marker") read_dctwin_marker(cell, t, tr, rep);
    else if (cell(0) == "sample") read_dctwin_sample(cell, t, builders, rep);
    else rep.add(cell.line, "record \"sample\" or \"marker\"", quote_text(cell(0)));
  }
  finish_series(builders, rep, tr);
  rep.throw_if_any();
  return tr;
}

// ---- nvidia-smi --query-gpu CSV ------------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// "YYYY/MM/DD HH:MM:SS.mmm" (nvidia-smi's timestamp) -> seconds since the epoch of that wall clock.
bool parse_smi_timestamp(const std::string& s, double& out) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double sec = 0;
  char sep1 = 0, sep2 = 0;
  if (std::sscanf(s.c_str(), "%d%c%d%c%d %d:%d:%lf", &y, &sep1, &mo, &sep2, &d, &h, &mi, &sec) != 8) return false;
  if (sep1 != sep2 || (sep1 != '/' && sep1 != '-')) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || !(sec >= 0 && sec < 61)) return false;
  out = static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * 86400.0 +
        h * 3600.0 + mi * 60.0 + sec;
  return true;
}


// Header "power.draw [W]" -> name "power.draw", unit "W".
std::pair<std::string_view, std::string_view> smi_column(std::string_view h) {
  const auto b = h.find('[');
  const auto e = h.find(']');
  if (b == std::string_view::npos || e == std::string_view::npos || e < b) return {text::trim(h), ""};
  return {text::trim(h.substr(0, b)), text::trim(h.substr(b + 1, e - b - 1))};
}

enum SmiField { kTime, kIndex, kDraw, kInstant, kAverage, kLimit, kTemp, kClock, kThrottle, kSmiFieldCount };

int smi_field(std::string_view name) {
  if (name == "timestamp") return kTime;
  if (name == "index") return kIndex;
  if (name == "power.draw") return kDraw;
  if (name == "power.draw.instant") return kInstant;
  if (name == "power.draw.average") return kAverage;
  if (name == "power.limit" || name == "enforced.power.limit") return kLimit;
  if (name == "temperature.gpu") return kTemp;
  if (name == "clocks.sm" || name == "clocks.current.sm") return kClock;
  if (name == "clocks_event_reasons.active" || name == "clocks_throttle_reasons.active") return kThrottle;
  return -1;
}

// The columns of an nvidia-smi --query-gpu CSV header: each SmiField's position (-1 when absent).
struct SmiColumns {
  std::vector<std::string_view> header;  // the trimmed header cells
  std::vector<int> col = std::vector<int>(kSmiFieldCount, -1);
  int operator[](int f) const { return col[static_cast<std::size_t>(f)]; }
  std::string name(int f) const { return std::string(cell(header, f)); }
  // Field f's cell of a row (f's column present).
  std::string_view cell(const std::vector<std::string_view>& cells, int f) const {
    return cells[static_cast<std::size_t>((*this)[f])];
  }
};

// Reads the header `line`; reports a missing time or power column and power not in W.
SmiColumns smi_columns(const Line& line, Reporter& rep) {
  SmiColumns cols;
  cols.header = text::split_trimmed(line.text, ',');
  std::vector<std::string_view> unit(kSmiFieldCount);
  for (std::size_t c = 0; c < cols.header.size(); ++c) {
    const auto [name, u] = smi_column(cols.header[c]);
    if (const int f = smi_field(name); f >= 0) {
      cols.col[static_cast<std::size_t>(f)] = static_cast<int>(c);
      unit[static_cast<std::size_t>(f)] = u;
    }
  }
  if (cols[kTime] < 0) rep.add(line.number, "a timestamp column (--query-gpu=timestamp,...)", "header " + quote_text(line.text));
  if (cols[kDraw] < 0 && cols[kInstant] < 0 && cols[kAverage] < 0)
    rep.add(line.number, "a power column: power.draw [W], power.draw.instant [W] or power.draw.average [W]",
            "header " + quote_text(line.text));
  for (int f : {kDraw, kInstant, kAverage, kLimit})
    if (cols[f] >= 0 && !unit[static_cast<std::size_t>(f)].empty() && unit[static_cast<std::size_t>(f)] != "W")
      rep.add(line.number, "power in [W]", quote_text(cols.name(f)));
  return cols;
}

// The values of one data row (time already in the series) into the last sample of `b`.
void read_smi_values(const SmiColumns& cols, const std::vector<std::string_view>& cells, std::size_t ln,
                     SeriesBuilder& b, Reporter& rep) {
  auto cell = [&](int f) { return cols.cell(cells, f); };
  auto num = [&](int f, std::vector<double>& v, std::string_view u) {
    if (cols[f] < 0) return;
    const std::string_view c = cell(f);
    if (is_na(c)) return;
    double x = 0;
    if (parse_number(c, u, x, rep, ln, cols.name(f))) v.back() = x;
  };
  // power.draw is the 1-s average on Ampere (except GA100) and newer (NVML reference,
  // nvmlDeviceGetPowerUsage); used as the average unless power.draw.average is also present.
  num(kInstant, b.s.power_w, "W");
  if (cols[kAverage] >= 0) num(kAverage, b.s.power_avg_w, "W");
  else num(kDraw, b.s.power_avg_w, "W");
  num(kLimit, b.s.power_limit_w, "W");
  num(kTemp, b.s.temperature_c, "C");
  num(kClock, b.s.sm_clock_mhz, "MHz");
  if (cols[kThrottle] >= 0 && !is_na(cell(kThrottle))) {
    std::uint64_t r = 0;
    if (parse_bitmask(cell(kThrottle), r, rep, ln, "clocks_event_reasons.active")) {
      b.s.throttle_reasons.back() = r;
      b.s.has_throttle = true;
    }
  }
}

Trace parse_nvidia_smi(const std::string& text, const std::string& file) {
  Reporter rep(file);
  Trace tr = empty_trace(file, "nvidia-smi");
  const auto lines = text::split_lines(text);
  std::size_t i = 0;
  while (i < lines.size() && text::trim(lines[i].text).empty()) ++i;
  if (i >= lines.size()) {
    rep.add(0, "an nvidia-smi --query-gpu CSV header (e.g. \"timestamp, index, power.draw [W]\")", "an empty file");
    rep.raise();
  }
  const SmiColumns cols = smi_columns(lines[i], rep);
  rep.throw_if_any();
  if (cols[kInstant] >= 0) tr.instant_column = cols.name(kInstant);
  if (cols[kAverage] >= 0 || cols[kDraw] >= 0) tr.average_column = cols.name(cols[kAverage] >= 0 ? kAverage : kDraw);

  std::vector<SeriesBuilder> builders;
  double origin = kNaN;
  for (++i; i < lines.size(); ++i) {
    const std::size_t ln = lines[i].number;
    if (text::trim(lines[i].text).empty()) continue;
    const auto cells = row_fields(lines[i], cols.header.size(), rep);
    if (!cells) continue;
    const std::string_view time = cols.cell(*cells, kTime);
    double t = 0;
    if (!parse_smi_timestamp(std::string(time), t)) {
      rep.add(ln, "a timestamp \"YYYY/MM/DD HH:MM:SS.mmm\"", quote_text(time));
      continue;
    }
    if (std::isnan(origin)) origin = t;
    int gpu = 0;
    if (cols[kIndex] >= 0 && !parse_gpu_index(cols.cell(*cells, kIndex), gpu, rep, ln, "index")) continue;
    SeriesBuilder& b = builder_for(builders, gpu);
    b.s.t_s.push_back(t - origin);
    b.lines.push_back(ln);
    push_empty(b.s);
    read_smi_values(cols, *cells, ln, b, rep);
  }
  finish_series(builders, rep, tr);
  rep.throw_if_any();
  return tr;
}

// ---- dcgmi dmon --------------------------------------------------------------------------------

enum DcgmField { kDcgmPower, kDcgmInstant, kDcgmEnergy, kDcgmTemp, kDcgmClock, kDcgmLimit };

// The field of a dmon column name, -1 for one not read.
int dcgm_field(std::string_view t) {
  if (t == "POWER") return kDcgmPower;                                                                  // 155 DCGM_FI_DEV_POWER_USAGE
  if (t == "PWINS" || t == "POWINST" || t == "PWRINST" || t == "INSTPWR") return kDcgmInstant;    // 157
  if (t == "TOTEC") return kDcgmEnergy;                                                                 // 156, mJ
  if (t == "TMPTR") return kDcgmTemp;                                                               // 150
  if (t == "SMCLK") return kDcgmClock;                                                              // 100
  if (t == "PMLMT" || t == "EPLMT") return kDcgmLimit;                                              // 160 / 164
  return -1;
}

// The "#Entity ..." header tokens after "#Entity": the field of each value column (-1: not read).
std::vector<int> dcgm_columns(const std::vector<std::string_view>& toks, std::size_t ln, std::string_view l, Reporter& rep) {
  std::vector<int> col(toks.size() - 1, -1);
  bool any_power = false;
  for (std::size_t c = 0; c + 1 < toks.size(); ++c) {
    col[c] = dcgm_field(toks[c + 1]);
    any_power = any_power || col[c] == kDcgmPower || col[c] == kDcgmInstant;
  }
  if (!any_power)
    rep.add(ln, "a power field in the #Entity header (POWER = field 155, or the instant field 157)", quote_text(l));
  return col;
}

// The values of one "GPU <id> <values...>" row into the last sample of `b`.
void read_dcgm_values(const std::vector<int>& col, const std::vector<std::string_view>& toks, std::size_t ln,
                      SeriesBuilder& b, Reporter& rep) {
  for (std::size_t c = 0; c < col.size(); ++c) {
    if (col[c] < 0 || is_na(toks[c + 2])) continue;
    double x = 0;
    if (!parse_number(toks[c + 2], "", x, rep, ln, "value " + std::to_string(c + 1))) continue;
    switch (col[c]) {
      case kDcgmPower: b.s.power_avg_w.back() = x; break;  // 155: like nvmlDeviceGetPowerUsage (1-s average, Ampere+)
      case kDcgmInstant: b.s.power_w.back() = x; break;
      case kDcgmEnergy: b.s.energy_j.back() = x / 1000.0; break;  // mJ -> J
      case kDcgmTemp: b.s.temperature_c.back() = x; break;
      case kDcgmClock: b.s.sm_clock_mhz.back() = x; break;
      case kDcgmLimit: b.s.power_limit_w.back() = x; break;
      default: break;
    }
  }
}

Trace parse_dcgm(const std::string& text, const std::string& file, double delay_s) {
  Reporter rep(file);
  Trace tr = empty_trace(file, "dcgm");
  const auto lines = text::split_lines(text);
  std::vector<int> col;  // per header token (after "#Entity"): field or -1
  bool have_header = false;
  std::vector<SeriesBuilder> builders;
  std::vector<long> rows_seen;  // per builder: samples so far (time = index * delay)
  for (const Line& line : lines) {
    const std::size_t ln = line.number;
    const std::string_view l = text::trim(line.text);
    if (l.empty()) continue;
    if (l[0] == '#') {
      const auto toks = text::split_ws(l.substr(1));
      if (!toks.empty() && text::iequals(toks[0], "entity")) {
        col = dcgm_columns(toks, ln, l, rep);
        have_header = true;
        for (std::size_t c = 0; c < col.size(); ++c) {
          if (col[c] == kDcgmPower) tr.average_column = "field 155 (" + std::string(toks[c + 1]) + ")";
          if (col[c] == kDcgmInstant) tr.instant_column = "field 157 (" + std::string(toks[c + 1]) + ")";
        }
      }
      continue;
    }
    const auto toks = text::split_ws(l);
    if (!toks.empty() && (toks[0] == "ID" || toks[0] == "Id")) continue;  // second header line
    if (!have_header) {
      rep.add(ln, "the \"#Entity ...\" header line of dcgmi dmon before the data", quote_text(l));
      rep.raise();
    }
    if (toks.size() < 2 || toks[0] != "GPU") {
      rep.add(ln, "a row \"GPU <id> <values...>\"", quote_text(l));
      continue;
    }
    if (toks.size() != col.size() + 2) {
      rep.add(ln, std::to_string(col.size()) + " values after \"GPU <id>\" (as in the header)", std::to_string(toks.size() - 2));
      continue;
    }
    int gpu = 0;
    if (!parse_gpu_index(toks[1], gpu, rep, ln, "entity id")) continue;  // a fraction or negative id is a problem, not skipped
    SeriesBuilder& b = builder_for(builders, gpu);
    const auto pos = static_cast<std::size_t>(&b - builders.data());
    if (rows_seen.size() < builders.size()) rows_seen.resize(builders.size(), 0);
    b.s.t_s.push_back(static_cast<double>(rows_seen[pos]++) * delay_s);
    b.lines.push_back(ln);
    push_empty(b.s);
    read_dcgm_values(col, toks, ln, b, rep);
  }
  if (!have_header) rep.add(0, "dcgmi dmon output (an \"#Entity ...\" header line)", "none");
  finish_series(builders, rep, tr);
  rep.throw_if_any();
  tr.meta["dcgm_delay_s"] = std::to_string(delay_s);
  return tr;
}

}  // namespace

double Trace::power_limit_w(std::size_t gpu_pos) const {
  if (auto it = meta.find("power_limit_w"); it != meta.end()) {
    try {
      return std::stod(it->second);
    } catch (...) {
      return kNaN;
    }
  }
  if (gpu_pos < gpus.size() && gpus[gpu_pos].has_power_limit) {
    std::vector<double> v = gpus[gpu_pos].power_limit_w;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  }
  return kNaN;
}

TraceFormat trace_format_from_string(const std::string& s) {
  if (s == "auto") return TraceFormat::Auto;
  if (s == "dctwin") return TraceFormat::Dctwin;
  if (s == "nvidia-smi") return TraceFormat::NvidiaSmi;
  if (s == "dcgm") return TraceFormat::Dcgm;
  throw std::invalid_argument("trace format must be auto, dctwin, nvidia-smi or dcgm, got \"" + s + "\"");
}

const char* to_string(TraceFormat f) {
  switch (f) {
    case TraceFormat::Auto: return "auto";
    case TraceFormat::Dctwin: return "dctwin";
    case TraceFormat::NvidiaSmi: return "nvidia-smi";
    case TraceFormat::Dcgm: return "dcgm";
  }
  return "auto";
}

TraceFormat detect_trace_format(const std::string& text) {
  int seen = 0;
  for (const Line& line : text::split_lines(text)) {
    if (seen >= 5) break;
    const std::string_view l = text::trim(line.text);
    if (l.empty()) continue;
    ++seen;
    if (l.starts_with("# dctwin-trace")) return TraceFormat::Dctwin;
    if (l.find("power.draw") != std::string_view::npos || l.starts_with("timestamp,")) return TraceFormat::NvidiaSmi;
    if (l[0] == '#') {
      const auto toks = text::split_ws(l.substr(1));
      if (!toks.empty() && text::iequals(toks[0], "entity")) return TraceFormat::Dcgm;
    }
  }
  return TraceFormat::Auto;
}

Trace parse_trace(const std::string& text, const std::string& file, TraceFormat format, double dcgm_delay_s) {
  if (format == TraceFormat::Auto) format = detect_trace_format(text);
  switch (format) {
    case TraceFormat::Dctwin: return parse_dctwin(text, file);
    case TraceFormat::NvidiaSmi: return parse_nvidia_smi(text, file);
    case TraceFormat::Dcgm: {
      if (!(dcgm_delay_s > 0) || !std::isfinite(dcgm_delay_s)) {
        Problems p;
        p.add(file, "--dcgm-delay-ms", "the dmon --delay in ms (> 0)", std::to_string(dcgm_delay_s * 1e3));
        throw InputError(p);
      }
      return parse_dcgm(text, file, dcgm_delay_s);
    }
    case TraceFormat::Auto: break;
  }
  Problems p;
  p.add(file, "line 1",
        "a trace in a known format: dctwin (\"# dctwin-trace 1\"), nvidia-smi --query-gpu CSV (header with "
        "power.draw) or dcgmi dmon (\"#Entity\" header); or give --format",
        "none of these");
  throw InputError(p);
}

Trace read_trace_file(const std::string& path, TraceFormat format, double dcgm_delay_s) {
  // Missing, a folder, a FIFO or device (which could block or never end), too large: one line each.
  Problems p;
  const std::string text = read_text_file(path, p, kMaxTraceBytes);
  if (!p.empty()) throw InputError(p);
  return parse_trace(text, path, format, dcgm_delay_s);
}

std::string format_dctwin_trace(const Trace& trace) {
  std::ostringstream o;
  o.precision(10);
  o << "# dctwin-trace 1\n";
  std::map<std::string, std::string> meta = trace.meta;
  meta["average_window_s"] = [&] {
    std::ostringstream w;
    w << trace.average_window_s;
    return w.str();
  }();
  for (const auto& [k, v] : meta) o << "# " << k << ": " << v << "\n";
  for (std::size_t i = 0; i < kDctwinColumns.size(); ++i) o << (i ? "," : "") << kDctwinColumns[i];
  o << "\n";
  // Samples of every GPU and the markers, merged in time order (markers first at equal times).
  struct Row {
    double t;
    int kind;  // 0 marker, 1 sample
    std::size_t g, i;
  };
  std::vector<Row> rows;
  for (std::size_t m = 0; m < trace.markers.size(); ++m) rows.push_back({trace.markers[m].t_s, 0, 0, m});
  for (std::size_t g = 0; g < trace.gpus.size(); ++g)
    for (std::size_t i = 0; i < trace.gpus[g].size(); ++i) rows.push_back({trace.gpus[g].t_s[i], 1, g, i});
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.t < b.t || (a.t == b.t && a.kind < b.kind); });
  auto val = [&](bool has, double v) {
    if (!has || std::isnan(v)) return std::string();
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
  };
  for (const Row& r : rows) {
    if (r.kind == 0) {
      const PhaseMarker& m = trace.markers[r.i];
      o << "marker," << m.t_s << ",,,,,,,,," << m.phase << "," << (m.step >= 0 ? std::to_string(m.step) : "") << "\n";
      continue;
    }
    const GpuSeries& s = trace.gpus[r.g];
    char thr[32] = "";
    if (s.has_throttle) std::snprintf(thr, sizeof thr, "0x%llx", static_cast<unsigned long long>(s.throttle_reasons[r.i]));
    o << "sample," << s.t_s[r.i] << "," << s.gpu << "," << val(s.has_power, s.power_w[r.i]) << ","
      << val(s.has_power_avg, s.power_avg_w[r.i]) << "," << val(s.has_energy, s.energy_j[r.i]) << ","
      << val(s.has_temperature, s.temperature_c[r.i]) << "," << val(s.has_sm_clock, s.sm_clock_mhz[r.i]) << ","
      << val(s.has_power_limit, s.power_limit_w[r.i]) << "," << thr << ",,\n";
  }
  return o.str();
}

void write_dctwin_trace(const Trace& trace, const std::string& path) {
  write_file_atomic(path, format_dctwin_trace(trace));  // temp + fsync + rename: never half a trace
}

}  // namespace dctwin::gpu
