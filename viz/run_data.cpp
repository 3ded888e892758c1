#include "viz/run_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "core/json_input.h"
#include "viz/json_fields.h"

namespace dctwin::viz {

const std::vector<double>* RunData::column(const std::string& name) const {
  const auto it = columns.find(name);
  return it == columns.end() ? nullptr : &it->second;
}

const std::vector<double>* RunData::storage_column(const std::string& name) const {
  const auto it = storage.find(name);
  return it == storage.end() ? nullptr : &it->second;
}

const std::vector<double>* RunData::cooling_column(const std::string& name) const {
  const auto it = cooling.find(name);
  return it == cooling.end() ? nullptr : &it->second;
}

std::vector<std::string_view> split_csv_line(std::string_view line) {
  std::vector<std::string_view> f;
  std::size_t a = 0;
  while (true) {
    const std::size_t b = line.find(',', a);
    f.push_back(line.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a));
    if (b == std::string_view::npos) break;
    a = b + 1;
  }
  return f;
}

bool parse_double(std::string_view s, double& v) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v);
}

namespace {


// The wall-clock column of runs with an EPW weather file (timeseries.csv, cooling.csv): text, skipped.
constexpr const char* kLocalTimeColumn = "local_time";

// A side file of a run (storage.csv, cooling.csv): a header with t_s first, then rows of numbers;
// with allow_empty, an empty cell reads as NaN.
std::map<std::string, std::vector<double>> parse_side_csv(const std::string& csv_text, const std::string& name, bool allow_empty) {
  Problems problems;
  std::vector<std::string> names;
  std::vector<std::vector<double>> cols;
  std::size_t pos = 0, line_no = 0;
  while (pos < csv_text.size()) {
    std::size_t e = csv_text.find('\n', pos);
    if (e == std::string::npos) e = csv_text.size();
    std::string_view line(csv_text.data() + pos, e - pos);
    pos = e + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (names.empty()) {
      for (auto x : f) names.emplace_back(x);
      if (names.size() < 2 || names[0] != "t_s") {
        problems.add(name, "line 1", "a header with t_s first", "\"" + std::string(line.substr(0, 120)) + "\"");
        break;
      }
      cols.resize(names.size());
      continue;
    }
    if (f.size() != names.size()) {
      problems.add(name, "line " + std::to_string(line_no), std::to_string(names.size()) + " fields", std::to_string(f.size()));
      break;
    }
    bool ok = true;
    for (std::size_t i = 0; i < f.size() && ok; ++i) {
      double v = 0;
      if (names[i] == kLocalTimeColumn) continue;  // text, not charted
      if (allow_empty && i > 0 && f[i].empty()) {
        cols[i].push_back(std::nan(""));
      } else if (!parse_double(f[i], v)) {
        problems.add(name, "line " + std::to_string(line_no) + ", " + names[i], "a number", "\"" + std::string(f[i]) + "\"");
        ok = false;
      } else {
        cols[i].push_back(v);
      }
    }
    if (!ok) break;
  }
  if (names.empty()) problems.add(name, "line 1", "a header row starting with t_s", "an empty file");
  if (!problems.empty()) throw InputError(problems);
  std::map<std::string, std::vector<double>> out;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] != kLocalTimeColumn) out[names[i]] = std::move(cols[i]);
  return out;
}
}  // namespace

RunData parse_run(const std::string& summary_text, const std::string& csv_text, const std::string& summary_name,
                  const std::string& csv_name) {
  Problems problems;
  RunData rd;
  rd.summary = parse_json(summary_text, summary_name, problems);
  if (problems.empty()) {
    const json& s = rd.summary;
    if (!s.is_object()) {
      problems.add(summary_name, "$", "a JSON object (dctwin's summary.json)", s.type_name());
    } else {
      if (!s.contains("scenario") || !s["scenario"].is_string())
        problems.add(summary_name, "$.scenario", "the scenario name (string)",
                     s.contains("scenario") ? s["scenario"].type_name() : "missing");
      for (const char* k : {"duration_s", "output_step_s"}) {
        const auto v = num(s, k);
        if (!v || !(*v > 0))
          problems.add(summary_name, std::string("$.") + k, "a positive number (s)",
                       s.contains(k) ? s[k].dump() : "missing");
      }
      for (const char* k : {"capacity", "jobs"})
        if (s.contains(k) && !s[k].is_array()) problems.add(summary_name, std::string("$.") + k, "a list", s[k].type_name());
    }
  }
  // The CSV.
  std::string_view text(csv_text);
  std::size_t pos = 0, line_no = 0;
  auto next_line = [&](std::string_view& line) {
    if (pos >= text.size()) return false;
    std::size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) e = text.size();
    line = text.substr(pos, e - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = e + 1;
    ++line_no;
    return true;
  };
  std::string_view header;
  std::vector<std::string> names;
  if (!next_line(header) || header.empty()) {
    problems.add(csv_name, "line 1", "a header row starting with t_s,facility_mw", "an empty file");
  } else {
    for (auto f : split_csv_line(header)) names.emplace_back(f);
    if (names.size() < 2 || names[0] != "t_s" || std::find(names.begin(), names.end(), "facility_mw") == names.end())
      problems.add(csv_name, "line 1", "a header with t_s first and a facility_mw column",
                   "\"" + std::string(header.substr(0, 120)) + "\"");
  }
  std::vector<std::vector<double>> cols(names.size());
  if (problems.empty()) {
    std::size_t bad = 0;
    std::string_view line;
    std::vector<double> row(names.size());
    while (next_line(line)) {
      if (line.empty()) continue;
      const auto f = split_csv_line(line);
      bool ok = f.size() == names.size();
      for (std::size_t i = 0; ok && i < f.size(); ++i) ok = names[i] == kLocalTimeColumn || parse_double(f[i], row[i]);
      if (!ok) {
        if (++bad <= 5)
          problems.add(csv_name, "line " + std::to_string(line_no),
                       std::to_string(names.size()) + " numbers separated by commas",
                       "\"" + std::string(line.substr(0, 120)) + "\"");
        continue;
      }
      for (std::size_t i = 0; i < names.size(); ++i) cols[i].push_back(row[i]);
    }
    if (bad > 5) problems.add(csv_name, "lines", "numeric rows", std::to_string(bad - 5) + " more malformed rows");
    if (bad == 0 && cols[0].empty()) problems.add(csv_name, "line 2", "at least one data row", "none");
  }
  if (problems.empty()) {
    const auto& t = cols[0];
    const double dt = *num(rd.summary, "output_step_s");
    rd.dt_s = dt;
    rd.t0_s = t.front();
    // t_s is written with 1 ms resolution: each row must be one output_step_s after the last.
    const double tol = std::max(1.5e-3, 1e-6 * dt);
    for (std::size_t k = 1; k < t.size(); ++k) {
      const double expect = t.front() + static_cast<double>(k) * dt;
      if (std::abs(t[k] - expect) > tol) {
        problems.add(csv_name, "line " + std::to_string(k + 2) + ", t_s",
                     "rows every output_step_s = " + std::to_string(dt) + " s (t_s = " + std::to_string(expect) + ")",
                     std::to_string(t[k]));
        break;
      }
    }
    for (std::size_t i = 1; i < names.size(); ++i)
      if (names[i] != kLocalTimeColumn) rd.columns[names[i]] = std::move(cols[i]);
  }
  if (!problems.empty()) throw InputError(problems);
  return rd;
}

RunData load_run(const std::string& dir, bool sizing_only_ok) {
  Problems problems;
  const std::string sp = dir + "/summary.json", cp = dir + "/timeseries.csv", zp = dir + "/sizing.json";
  json sizing;
  if (std::filesystem::exists(zp)) {
    sizing = parse_json(read_text_file(zp, problems), zp, problems);
    if (problems.empty() && !sizing.is_object()) problems.add(zp, "$", "a sizing object written by dctwin size", JsonReader::describe(&sizing));
    if (!problems.empty()) throw InputError(problems);
    if (sizing_only_ok && !std::filesystem::exists(sp) && !std::filesystem::exists(cp)) {
      RunData rd;
      rd.dir = dir;
      rd.summary = json::object();
      rd.sizing = sizing;
      return rd;
    }
  }
  const std::string s = read_text_file(sp, problems);
  // A day at 100 ms is ~70 MB of CSV; a few weeks stay well under this limit.
  const std::string c = read_text_file(cp, problems, std::size_t{4} << 30);
  if (!problems.empty()) throw InputError(problems);
  RunData rd = parse_run(s, c, sp, cp);
  rd.dir = dir;
  rd.sizing = sizing;
  if (rd.summary.contains("storage") && rd.summary["storage"].is_object()) {
    const std::string stp = dir + "/storage.csv";
    const std::string st = read_text_file(stp, problems, std::size_t{4} << 30);
    if (!problems.empty()) throw InputError(problems);
    parse_storage_csv(rd, st, stp);
  }
  if (rd.summary.contains("cooling") && rd.summary["cooling"].is_object() && rd.summary["cooling"].contains("series") &&
      rd.summary["cooling"]["series"].is_object()) {
    const std::string cop = dir + "/cooling.csv";
    const std::string ct = read_text_file(cop, problems, std::size_t{4} << 30);
    if (!problems.empty()) throw InputError(problems);
    parse_cooling_csv(rd, ct, cop);
  }
  const std::string ep = dir + "/cost_emissions.csv";
  if (std::filesystem::exists(ep)) {
    const std::string et = read_text_file(ep, problems, std::size_t{1} << 30);
    if (!problems.empty()) throw InputError(problems);
    parse_cost_emissions_csv(rd, et, ep);
  }
  const std::string qp = dir + "/compliance.json";
  if (std::filesystem::exists(qp)) {
    rd.compliance = parse_json(read_text_file(qp, problems), qp, problems);
    if (problems.empty() && !(rd.compliance.is_object() && rd.compliance.contains("checks") && rd.compliance["checks"].is_array()))
      problems.add(qp, "$", "a compliance object written by dctwin comply (with \"checks\")", JsonReader::describe(&rd.compliance));
    if (!problems.empty()) throw InputError(problems);
  }
  return rd;
}

void parse_storage_csv(RunData& rd, const std::string& csv_text, const std::string& name) {
  rd.storage = parse_side_csv(csv_text, name, false);
  rd.storage.erase("t_s");
}

void parse_cooling_csv(RunData& rd, const std::string& csv_text, const std::string& name) {
  rd.cooling = parse_side_csv(csv_text, name, true);
}

void parse_cost_emissions_csv(RunData& rd, const std::string& csv_text, const std::string& name) {
  rd.cost_emissions = parse_side_csv(csv_text, name, false);
}

}  // namespace dctwin::viz
