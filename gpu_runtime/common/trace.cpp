// gpu_runtime/common/trace.cpp — readers and writer of GPU power traces (see trace.h and the
// "Trace formats" section of gpu_runtime/README.md).
#include "gpu_runtime/common/trace.h"

#include "core/atomic_file.h"
#include "core/json_input.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "core/problems.h"

namespace dctwin::gpu {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxTraceBytes = std::size_t{2} << 30;  // 2 GiB
constexpr std::size_t kMaxProblems = 20;                      // beyond this, one summary line

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(trim(cur));
  return out;
}

std::vector<std::string> split_ws(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      v.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) v.push_back(cur);
  for (auto& l : v)
    if (!l.empty() && l.back() == '\r') l.pop_back();
  return v;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string quote_text(const std::string& s) { return "\"" + (s.size() > 60 ? s.substr(0, 60) + "..." : s) + "\""; }

// Collects problems with a cap so a badly broken file gives a readable list.
struct Reporter {
  Problems problems;
  std::string file;
  std::size_t dropped = 0;
  void add(std::size_t line, const std::string& expected, const std::string& found) {
    if (problems.size() >= kMaxProblems) {
      ++dropped;
      return;
    }
    problems.add(file, line == 0 ? std::string("file") : "line " + std::to_string(line), expected, found);
  }
  [[noreturn]] void raise() {
    if (dropped > 0)
      problems.add(file, "file", "at most " + std::to_string(kMaxProblems) + " problems listed",
                   std::to_string(dropped) + " more not shown");
    throw InputError(problems);
  }
  void throw_if_any() {
    if (!problems.empty()) raise();
  }
};

// A finite number; optional unit suffix (e.g. "72.45 W", "1980 MHz") must equal `unit` when given.
// Returns false and reports otherwise. "nan"/"inf" are refused explicitly.
bool parse_number(const std::string& cell, const std::string& unit, double& out, Reporter& rep, std::size_t line,
                  const std::string& column) {
  std::string s = trim(cell);
  if (!unit.empty() && s.size() > unit.size() && s.compare(s.size() - unit.size(), unit.size(), unit) == 0) {
    s = trim(s.substr(0, s.size() - unit.size()));
  }
  double v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  auto [p, ec] = std::from_chars(b, e, v);
  if (s.empty() || ec != std::errc() || p != e) {
    rep.add(line, "a number" + (unit.empty() ? std::string() : " in " + unit) + " in column " + column, quote_text(cell));
    return false;
  }
  if (!std::isfinite(v)) {
    rep.add(line, "a finite number in column " + column, quote_text(cell));
    return false;
  }
  out = v;
  return true;
}

bool parse_u64(const std::string& cell, std::uint64_t& out, Reporter& rep, std::size_t line, const std::string& column) {
  std::string s = trim(cell);
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s = s.substr(2);
    base = 16;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    rep.add(line, "an integer bitmask (decimal or 0x hex) in column " + column, quote_text(cell));
    return false;
  }
  return true;
}

// A GPU index: an integer 0 .. kMaxGpuIndex (a larger one is a corrupt cell, and would not fit an int).
constexpr double kMaxGpuIndex = 1e6;
bool parse_gpu_index(const std::string& cell, int& out, Reporter& rep, std::size_t line, const std::string& column) {
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

GpuSeries& series_for(std::vector<SeriesBuilder>& b, int gpu) {
  for (auto& x : b)
    if (x.s.gpu == gpu) return x.s;
  b.emplace_back();
  b.back().s.gpu = gpu;
  return b.back().s;
}
SeriesBuilder& builder_for(std::vector<SeriesBuilder>& b, int gpu) {
  series_for(b, gpu);
  for (auto& x : b)
    if (x.s.gpu == gpu) return x;
  throw std::logic_error("unreachable");
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
}

bool is_na(const std::string& cell) {
  const std::string c = lower(trim(cell));
  return c.empty() || c == "[n/a]" || c == "n/a" || c == "[not supported]" || c == "not supported" ||
         c == "[unknown error]";
}

// ---- dctwin ------------------------------------------------------------------------------------

const std::vector<std::string> kDctwinColumns = {"record",        "t_s",          "gpu",           "power_w",
                                                  "power_avg_w",   "energy_j",     "temperature_c", "sm_clock_mhz",
                                                  "power_limit_w", "throttle_reasons", "phase",     "step"};
const std::vector<std::string> kPhases = {"idle", "compute", "communication", "optimizer", "checkpoint", "end"};

Trace parse_dctwin(const std::string& text, const std::string& file) {
  Reporter rep{{}, file};
  Trace tr;
  tr.file = file;
  tr.format = "dctwin";
  const auto lines = lines_of(text);
  std::size_t i = 0;
  if (lines.empty() || lines[0].rfind("# dctwin-trace", 0) != 0) {
    rep.add(1, "the first line \"# dctwin-trace 1\"", lines.empty() ? "an empty file" : quote_text(lines[0]));
    rep.raise();
  }
  if (trim(lines[0]) != "# dctwin-trace 1") rep.add(1, "format version 1 (\"# dctwin-trace 1\")", quote_text(lines[0]));
  for (i = 1; i < lines.size() && lines[i].rfind("#", 0) == 0; ++i) {
    const std::string body = trim(std::string_view(lines[i]).substr(1));
    const auto colon = body.find(':');
    if (colon == std::string::npos) {
      if (!body.empty()) rep.add(i + 1, "a header line \"# key: value\"", quote_text(lines[i]));
      continue;
    }
    tr.meta[trim(body.substr(0, colon))] = trim(body.substr(colon + 1));
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
  if (i >= lines.size()) {
    rep.add(lines.size(), "the column header line after the # header", "end of file");
    rep.raise();
  }
  const std::size_t header_line = i + 1;
  const auto header = split(lines[i], ',');
  std::vector<int> col(kDctwinColumns.size(), -1);
  for (std::size_t c = 0; c < header.size(); ++c) {
    auto it = std::find(kDctwinColumns.begin(), kDctwinColumns.end(), header[c]);
    if (it == kDctwinColumns.end()) {
      const std::string hint = closest_match(header[c], kDctwinColumns);
      rep.add(header_line, "a known column (" + std::string("record, t_s, gpu, power_w, ...") + ")",
              quote_text(header[c]) + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
      continue;
    }
    col[static_cast<std::size_t>(it - kDctwinColumns.begin())] = static_cast<int>(c);
  }
  for (const char* req : {"record", "t_s", "gpu"}) {
    const auto k = static_cast<std::size_t>(std::find(kDctwinColumns.begin(), kDctwinColumns.end(), req) - kDctwinColumns.begin());
    if (col[k] < 0) rep.add(header_line, std::string("a column named ") + req, "header " + quote_text(lines[i]));
  }
  if (col[3] < 0 && col[4] < 0) rep.add(header_line, "a power column (power_w or power_avg_w)", "header " + quote_text(lines[i]));
  rep.throw_if_any();

  std::vector<SeriesBuilder> builders;
  for (++i; i < lines.size(); ++i) {
    const std::size_t ln = i + 1;
    if (trim(lines[i]).empty() || lines[i][0] == '#') continue;
    const auto cells = split(lines[i], ',');
    if (cells.size() != header.size()) {
      rep.add(ln, std::to_string(header.size()) + " comma-separated fields (as in the header)", std::to_string(cells.size()));
      continue;
    }
    auto cell = [&](std::size_t k) -> std::string { return col[k] < 0 ? std::string() : cells[static_cast<std::size_t>(col[k])]; };
    double t = 0;
    if (!parse_number(cell(1), "", t, rep, ln, "t_s")) continue;
    const std::string record = cell(0);
    if (record == "marker") {
      PhaseMarker m;
      m.t_s = t;
      m.phase = cell(10);
      if (std::find(kPhases.begin(), kPhases.end(), m.phase) == kPhases.end()) {
        rep.add(ln, "a phase (idle, compute, communication, optimizer, checkpoint, end) in column phase", quote_text(m.phase));
        continue;
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
        rep.add(ln, "marker times not decreasing", "t = " + cell(1) + " s after " + std::to_string(tr.markers.back().t_s) + " s");
      tr.markers.push_back(m);
      continue;
    }
    if (record != "sample") {
      rep.add(ln, "record \"sample\" or \"marker\"", quote_text(record));
      continue;
    }
    int gpu = 0;
    if (!parse_gpu_index(cell(2), gpu, rep, ln, "gpu")) continue;
    SeriesBuilder& b = builder_for(builders, gpu);
    GpuSeries& s = b.s;
    s.t_s.push_back(t);
    b.lines.push_back(ln);
    push_empty(s);
    auto num = [&](std::size_t k, std::vector<double>& v, const char* name) {
      const std::string c = cell(k);
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
    if (!cell(9).empty()) {
      std::uint64_t r = 0;
      if (parse_u64(cell(9), r, rep, ln, "throttle_reasons")) {
        s.throttle_reasons.back() = r;
        s.has_throttle = true;
      }
    }
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
std::pair<std::string, std::string> smi_column(const std::string& h) {
  const auto b = h.find('[');
  const auto e = h.find(']');
  if (b == std::string::npos || e == std::string::npos || e < b) return {trim(h), ""};
  return {trim(h.substr(0, b)), trim(h.substr(b + 1, e - b - 1))};
}

Trace parse_nvidia_smi(const std::string& text, const std::string& file) {
  Reporter rep{{}, file};
  Trace tr;
  tr.file = file;
  tr.format = "nvidia-smi";
  const auto lines = lines_of(text);
  std::size_t i = 0;
  while (i < lines.size() && trim(lines[i]).empty()) ++i;
  if (i >= lines.size()) {
    rep.add(0, "an nvidia-smi --query-gpu CSV header (e.g. \"timestamp, index, power.draw [W]\")", "an empty file");
    rep.raise();
  }
  const std::size_t header_line = i + 1;
  const auto header = split(lines[i], ',');
  enum Field { kTime, kIndex, kDraw, kInstant, kAverage, kLimit, kTemp, kClock, kThrottle, kFieldCount };
  std::vector<int> col(kFieldCount, -1);
  std::vector<std::string> unit(kFieldCount);
  for (std::size_t c = 0; c < header.size(); ++c) {
    const auto [name, u] = smi_column(header[c]);
    int f = -1;
    if (name == "timestamp") f = kTime;
    else if (name == "index") f = kIndex;
    else if (name == "power.draw") f = kDraw;
    else if (name == "power.draw.instant") f = kInstant;
    else if (name == "power.draw.average") f = kAverage;
    else if (name == "power.limit" || name == "enforced.power.limit") f = kLimit;
    else if (name == "temperature.gpu") f = kTemp;
    else if (name == "clocks.sm" || name == "clocks.current.sm") f = kClock;
    else if (name == "clocks_event_reasons.active" || name == "clocks_throttle_reasons.active") f = kThrottle;
    if (f >= 0) {
      col[static_cast<std::size_t>(f)] = static_cast<int>(c);
      unit[static_cast<std::size_t>(f)] = u;
    }
  }
  if (col[kTime] < 0) rep.add(header_line, "a timestamp column (--query-gpu=timestamp,...)", "header " + quote_text(lines[i]));
  if (col[kDraw] < 0 && col[kInstant] < 0 && col[kAverage] < 0)
    rep.add(header_line, "a power column: power.draw [W], power.draw.instant [W] or power.draw.average [W]",
            "header " + quote_text(lines[i]));
  for (int f : {kDraw, kInstant, kAverage, kLimit})
    if (col[static_cast<std::size_t>(f)] >= 0 && !unit[static_cast<std::size_t>(f)].empty() && unit[static_cast<std::size_t>(f)] != "W")
      rep.add(header_line, "power in [W]", quote_text(header[static_cast<std::size_t>(col[static_cast<std::size_t>(f)])]));
  rep.throw_if_any();

  std::vector<SeriesBuilder> builders;
  double origin = kNaN;
  for (++i; i < lines.size(); ++i) {
    const std::size_t ln = i + 1;
    if (trim(lines[i]).empty()) continue;
    const auto cells = split(lines[i], ',');
    if (cells.size() != header.size()) {
      rep.add(ln, std::to_string(header.size()) + " comma-separated fields (as in the header)", std::to_string(cells.size()));
      continue;
    }
    auto cell = [&](int f) { return cells[static_cast<std::size_t>(col[static_cast<std::size_t>(f)])]; };
    double t = 0;
    if (!parse_smi_timestamp(cell(kTime), t)) {
      rep.add(ln, "a timestamp \"YYYY/MM/DD HH:MM:SS.mmm\"", quote_text(cell(kTime)));
      continue;
    }
    if (std::isnan(origin)) origin = t;
    int gpu = 0;
    if (col[kIndex] >= 0 && !parse_gpu_index(cell(kIndex), gpu, rep, ln, "index")) continue;
    SeriesBuilder& b = builder_for(builders, gpu);
    b.s.t_s.push_back(t - origin);
    b.lines.push_back(ln);
    push_empty(b.s);
    auto num = [&](int f, std::vector<double>& v, const std::string& u) {
      if (col[static_cast<std::size_t>(f)] < 0) return;
      const std::string c = cell(f);
      if (is_na(c)) return;
      double x = 0;
      if (parse_number(c, u, x, rep, ln, trim(header[static_cast<std::size_t>(col[static_cast<std::size_t>(f)])]))) v.back() = x;
    };
    // power.draw is the 1-s average on Ampere (except GA100) and newer (NVML reference,
    // nvmlDeviceGetPowerUsage); used as the average unless power.draw.average is also present.
    num(kInstant, b.s.power_w, "W");
    if (col[kAverage] >= 0) num(kAverage, b.s.power_avg_w, "W");
    else num(kDraw, b.s.power_avg_w, "W");
    num(kLimit, b.s.power_limit_w, "W");
    num(kTemp, b.s.temperature_c, "C");
    num(kClock, b.s.sm_clock_mhz, "MHz");
    if (col[kThrottle] >= 0 && !is_na(cell(kThrottle))) {
      std::uint64_t r = 0;
      if (parse_u64(cell(kThrottle), r, rep, ln, "clocks_event_reasons.active")) {
        b.s.throttle_reasons.back() = r;
        b.s.has_throttle = true;
      }
    }
  }
  finish_series(builders, rep, tr);
  rep.throw_if_any();
  return tr;
}

// ---- dcgmi dmon --------------------------------------------------------------------------------

Trace parse_dcgm(const std::string& text, const std::string& file, double delay_s) {
  Reporter rep{{}, file};
  Trace tr;
  tr.file = file;
  tr.format = "dcgm";
  const auto lines = lines_of(text);
  enum Field { kPower, kInstant, kEnergy, kTemp, kClock, kLimit, kFieldCount };
  std::vector<int> col;  // per header token (after "#Entity"): field or -1
  bool have_header = false;
  std::vector<SeriesBuilder> builders;
  std::vector<long> rows_seen;  // per builder: samples so far (time = index * delay)
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t ln = i + 1;
    const std::string l = trim(lines[i]);
    if (l.empty()) continue;
    if (l[0] == '#') {
      auto toks = split_ws(l.substr(1));
      if (!toks.empty() && lower(toks[0]) == "entity") {
        toks.erase(toks.begin());
        col.assign(toks.size(), -1);
        bool any_power = false;
        for (std::size_t c = 0; c < toks.size(); ++c) {
          const std::string t = toks[c];
          int f = -1;
          if (t == "POWER") f = kPower;                                            // 155 DCGM_FI_DEV_POWER_USAGE
          else if (t == "PWINS" || t == "POWINST" || t == "PWRINST" || t == "INSTPWR") f = kInstant;  // 157
          else if (t == "TOTEC") f = kEnergy;                                      // 156, mJ
          else if (t == "TMPTR") f = kTemp;                                        // 150
          else if (t == "SMCLK") f = kClock;                                       // 100
          else if (t == "PMLMT" || t == "EPLMT") f = kLimit;                       // 160 / 164
          col[c] = f;
          any_power = any_power || f == kPower || f == kInstant;
        }
        if (!any_power)
          rep.add(ln, "a power field in the #Entity header (POWER = field 155, or the instant field 157)", quote_text(l));
        have_header = true;
      }
      continue;
    }
    auto toks = split_ws(l);
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
    std::size_t pos = 0;
    for (; pos < builders.size(); ++pos)
      if (&builders[pos] == &b) break;
    if (rows_seen.size() < builders.size()) rows_seen.resize(builders.size(), 0);
    b.s.t_s.push_back(static_cast<double>(rows_seen[pos]++) * delay_s);
    b.lines.push_back(ln);
    push_empty(b.s);
    for (std::size_t c = 0; c < col.size(); ++c) {
      if (col[c] < 0 || is_na(toks[c + 2])) continue;
      double x = 0;
      if (!parse_number(toks[c + 2], "", x, rep, ln, "value " + std::to_string(c + 1))) continue;
      switch (col[c]) {
        case kPower: b.s.power_avg_w.back() = x; break;  // 155: like nvmlDeviceGetPowerUsage (1-s average, Ampere+)
        case kInstant: b.s.power_w.back() = x; break;
        case kEnergy: b.s.energy_j.back() = x / 1000.0; break;  // mJ -> J
        case kTemp: b.s.temperature_c.back() = x; break;
        case kClock: b.s.sm_clock_mhz.back() = x; break;
        case kLimit: b.s.power_limit_w.back() = x; break;
        default: break;
      }
    }
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
  std::istringstream in(text);
  std::string line;
  int seen = 0;
  while (std::getline(in, line) && seen < 5) {
    const std::string l = trim(line);
    if (l.empty()) continue;
    ++seen;
    if (l.rfind("# dctwin-trace", 0) == 0) return TraceFormat::Dctwin;
    if (l.find("power.draw") != std::string::npos || l.rfind("timestamp,", 0) == 0) return TraceFormat::NvidiaSmi;
    if (l[0] == '#') {
      const auto toks = split_ws(l.substr(1));
      if (!toks.empty() && lower(toks[0]) == "entity") return TraceFormat::Dcgm;
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
