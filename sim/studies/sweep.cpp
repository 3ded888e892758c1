#include "sim/studies/sweep.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/atomic_file.h"
#include "core/json_input.h"
#include "sim/run.h"
#include "core/rng.h"
#include "sim/input/scenario_loader.h"

namespace dctwin {

namespace {

// One Monte Carlo parameter: how its draws are made.
struct Draw {
  std::string path;
  enum class Kind { Uniform, Integer, Choice, Seed } kind = Kind::Uniform;
  double lo = 0, hi = 0;
  json choices;
};

json draw_value(const Draw& d, std::uint64_t seed, std::size_t draw) {
  RngStream rng(seed, "sweep/" + std::to_string(draw) + "/" + d.path);
  switch (d.kind) {
    case Draw::Kind::Uniform: return d.lo + (d.hi - d.lo) * rng.uniform01();
    case Draw::Kind::Integer: {
      const auto span = static_cast<std::uint64_t>(d.hi - d.lo) + 1;
      return static_cast<std::int64_t>(d.lo) + static_cast<std::int64_t>(rng.next_u64() % span);
    }
    case Draw::Kind::Choice: return d.choices[static_cast<std::size_t>(rng.next_u64() % d.choices.size())];
    case Draw::Kind::Seed: return static_cast<std::int64_t>(rng.next_u64() >> 11);  // 53 bits: exact in any JSON reader
  }
  return nullptr;
}

std::vector<Draw> read_draws(JsonReader& mc) {
  std::vector<Draw> out;
  for (auto& [path, r] : mc.map_of_objects("parameters")) {
    Draw d;
    d.path = path;
    int kinds = 0;
    for (const char* k : {"uniform", "integer", "choice", "seed"}) kinds += r.has(k) ? 1 : 0;
    if (kinds != 1) {
      r.problem_here("exactly one of \"uniform\": [lo, hi], \"integer\": [lo, hi], \"choice\": [values], \"seed\": true",
                     std::to_string(kinds) + " of them");
      r.allow("uniform"), r.allow("integer"), r.allow("choice"), r.allow("seed");
      r.finish();
      continue;
    }
    if (const json* v = r.raw("uniform"); v != nullptr || (v = r.raw("integer")) != nullptr) {
      const bool integer = r.has("integer");
      const std::string key = integer ? "integer" : "uniform";
      d.kind = integer ? Draw::Kind::Integer : Draw::Kind::Uniform;
      const bool ok = v->is_array() && v->size() == 2 && (*v)[0].is_number() && (*v)[1].is_number() &&
                      std::isfinite((*v)[0].get<double>()) && std::isfinite((*v)[1].get<double>()) &&
                      (*v)[0].get<double>() <= (*v)[1].get<double>() &&
                      (!integer || ((*v)[0].is_number_integer() && (*v)[1].is_number_integer()));
      if (!ok) {
        std::string found = JsonReader::describe(v);
        if (v->is_array()) found.append(" ").append(v->dump());
        r.problem(key, std::string("[lo, hi]: two finite ") + (integer ? "integers" : "numbers") + " with lo <= hi", found);
      }
      else
        d.lo = (*v)[0].get<double>(), d.hi = (*v)[1].get<double>();
    } else if (const json* c = r.raw("choice")) {
      d.kind = Draw::Kind::Choice;
      if (!c->is_array() || c->empty() || c->size() > 10000)
        r.problem("choice", "an array of 1..10000 values", JsonReader::describe(c));
      else
        d.choices = *c;
    } else if (const json* s = r.raw("seed")) {
      d.kind = Draw::Kind::Seed;
      if (!s->is_boolean() || !s->get<bool>()) r.problem("seed", "true", JsonReader::describe(s));
    }
    r.finish();
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

SweepSpec parse_sweep(const json& doc, const std::string& file, const std::string& base_dir) {
  Problems problems;
  JsonReader root(doc, "$", problems, file);
  SweepSpec spec;
  spec.file = file;
  if (auto base = root.optional_string("base", 4096)) {
    const std::filesystem::path p(*base);
    spec.base_path = p.is_absolute() ? p.string() : (std::filesystem::path(base_dir) / p).lexically_normal().string();
  }
  if (const json* set = root.raw("set")) {
    if (!set->is_object())
      root.problem("set", "an object: scenario path -> value (as for --set)", JsonReader::describe(set));
    else
      for (const auto& [k, v] : set->items()) spec.base_sets.push_back(override_text(k, v));
  }
  // Grid axes.
  std::vector<std::pair<std::string, json>> axes;
  if (const json* grid = root.raw("grid")) {
    if (!grid->is_object()) {
      root.problem("grid", "an object: scenario path -> array of values", JsonReader::describe(grid));
    } else {
      for (const auto& [k, v] : grid->items()) {
        if (!v.is_array() || v.empty() || v.size() > 10000)
          problems.add(file, root.key_path("grid") + "[\"" + k + "\"]", "an array of 1..10000 values", JsonReader::describe(&v));
        else
          axes.emplace_back(k, v);
      }
    }
  }
  std::vector<Draw> draws;
  std::uint64_t mc_seed = 0;
  if (auto mc = root.optional_object("monte_carlo")) {
    spec.draws = static_cast<std::size_t>(mc->integer("draws", 1, static_cast<std::int64_t>(kMaxSweepCases)));
    mc_seed = static_cast<std::uint64_t>(mc->integer("seed", 0, INT64_MAX));
    draws = read_draws(*mc);
    mc->finish();
  }
  root.finish();
  for (const auto& [k, v] : axes) spec.parameters.push_back(k);
  for (const auto& d : draws) {
    if (std::find(spec.parameters.begin(), spec.parameters.end(), d.path) != spec.parameters.end())
      problems.add(file, "$.monte_carlo.parameters[\"" + d.path + "\"]", "a path not also in \"grid\"", "it is in both");
    spec.parameters.push_back(d.path);
  }
  double total = static_cast<double>(spec.draws);
  for (const auto& [k, v] : axes) total *= static_cast<double>(v.size());
  if (total > static_cast<double>(kMaxSweepCases))
    problems.add(file, "$", "at most " + std::to_string(kMaxSweepCases) + " cases (grid combinations x draws)",
                 [&] { char b[64]; std::snprintf(b, sizeof b, "%.0f", total); return std::string(b) + " cases"; }());
  if (!problems.empty()) throw InputError(problems);

  std::vector<std::size_t> sizes;
  for (const auto& [k, v] : axes) sizes.push_back(v.size());
  spec.grid_points = static_cast<std::size_t>(grid_combinations(sizes));
  for (std::size_t g = 0; g < spec.grid_points; ++g) {
    const std::vector<std::size_t> at = grid_point_indices(g, sizes);
    std::vector<std::pair<std::string, json>> point;
    for (std::size_t i = 0; i < axes.size(); ++i) point.emplace_back(axes[i].first, axes[i].second[at[i]]);
    for (std::size_t d = 0; d < spec.draws; ++d) {
      SweepCase c;
      c.index = spec.cases.size();
      c.grid_point = g;
      c.draw = d;
      c.values = point;
      for (const auto& dr : draws) c.values.emplace_back(dr.path, draw_value(dr, mc_seed, d));
      spec.cases.push_back(std::move(c));
    }
  }
  return spec;
}

SweepSpec load_sweep_file(const std::string& path) {
  Problems problems;
  const std::string text = read_text_file(path, problems);
  if (!problems.empty()) throw InputError(problems);
  const json doc = parse_json(text, path, problems);
  if (!problems.empty()) throw InputError(problems);
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_sweep(doc, path, dir.empty() ? "." : dir);
}

Scenario load_sweep_case(const SweepSpec& spec, const SweepCase& c) {
  LoadOptions lo{spec.base_sets};
  for (const auto& [k, v] : c.values) lo.overrides.push_back(override_text(k, v));
  return load_scenario(spec.base_path, lo);
}

namespace {

std::string case_label(const SweepCase& c) {
  std::string s = "case " + std::to_string(c.index) + " (";
  for (std::size_t i = 0; i < c.values.size(); ++i) s += (i ? ", " : "") + c.values[i].first + "=" + c.values[i].second.dump();
  return s + ")";
}

}  // namespace

void validate_sweep(const SweepSpec& spec, unsigned threads) {
  std::vector<Problems> found(spec.cases.size());
  run_in_threads(spec.cases.size(), threads, [&](std::size_t i) {
    try {
      (void)load_sweep_case(spec, spec.cases[i]);
    } catch (const InputError& e) {
      for (auto p : e.problems().list()) {
        p.file = spec.file + ": " + case_label(spec.cases[i]) + ": " + p.file;
        found[i].add(p);
      }
    }
  });
  Problems all;
  for (const auto& p : found) all.append(p);
  if (!all.empty()) throw InputError(all);
}

const std::vector<std::string>& sweep_figure_keys() {
  static const std::vector<std::string> keys = {
      "gpus", "duration_s", "peak_facility_mw", "mean_facility_mw", "facility_energy_mwh", "it_energy_mwh",
      "cooling_energy_mwh", "pue", "wue_l_per_kwh", "load_factor", "swing_mw", "max_ramp_up_mw_per_s",
      "max_ramp_down_mw_per_s", "step_period_s", "goodput", "failures", "checkpoint_count", "mitigation_energy_mwh",
      "max_facility_water_c", "overloads", "alarms", "energy_cost_usd", "emissions_t_co2"};
  return keys;
}

namespace {

json make_row(const SweepCase& c) {
  json row;
  row["case"] = c.index;
  row["grid_point"] = c.grid_point;
  row["draw"] = c.draw;
  json params = json::object();
  for (const auto& [k, v] : c.values) params[k] = v;
  row["parameters"] = params;
  return row;
}

void fill_figures(json& row, const json& s) {
  for (const auto& k : sweep_figure_keys()) {
    if (k == "overloads" || k == "alarms")
      row[k] = s.contains(k) && s[k].is_array() ? json(s[k].size()) : json(nullptr);
    else
      row[k] = s.contains(k) ? s[k] : json(nullptr);
  }
  row["error"] = nullptr;
}

}  // namespace

std::vector<json> run_sweep_cases(const SweepSpec& spec, const std::vector<std::size_t>& indices, unsigned threads,
                                  const std::function<void(std::size_t)>& on_done) {
  std::vector<json> rows(indices.size());
  std::mutex m;
  std::size_t done = 0;
  run_in_threads(indices.size(), threads, [&](std::size_t i) {
    const SweepCase& c = spec.cases.at(indices[i]);
    json row = make_row(c);
    try {
      const RunResult r = run_scenario(load_sweep_case(spec, c));
      fill_figures(row, r.summary);
    } catch (const ConservationError& e) {
      fill_figures(row, json::object());
      row["error"] = std::string("conservation check failed: ") + e.what();
      row["exit_code"] = 4;
    } catch (const InputError& e) {
      fill_figures(row, json::object());
      row["error"] = e.what();
      row["exit_code"] = 2;
    } catch (const std::exception& e) {
      fill_figures(row, json::object());
      row["error"] = std::string("internal error: ") + e.what();
      row["exit_code"] = 1;
    }
    rows[i] = std::move(row);
    if (on_done) {
      std::lock_guard<std::mutex> lock(m);
      on_done(++done);
    }
  });
  return rows;
}

json sweep_table_json(const SweepSpec& spec, const std::vector<json>& rows) {
  return json{{"sweep", spec.file},
              {"base", spec.base_path.empty() ? json("<embedded default scenarios/mai1-15k-h100.json>") : json(spec.base_path)},
              {"set", spec.base_sets},
              {"parameters", spec.parameters},
              {"grid_points", spec.grid_points},
              {"draws", spec.draws},
              {"figures", sweep_figure_keys()},
              {"cases", rows}};
}

namespace {

std::string csv_cell(const json& v) {
  if (v.is_null() || (v.is_number_float() && !std::isfinite(v.get<double>()))) return "";  // no figure: an empty cell
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v.get<double>());
    return buf;
  }
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n\r") != std::string::npos) {
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  }
  return s;
}

}  // namespace

std::string sweep_table_csv(const SweepSpec& spec, const std::vector<json>& rows) {
  std::string out = "case,grid_point,draw";
  auto cell = [&out](const json& v) {
    out += ',';
    out += csv_cell(v);
  };
  for (const auto& p : spec.parameters) cell(p);
  for (const auto& k : sweep_figure_keys()) cell(k);
  out += ",error\n";
  for (const auto& r : rows) {
    out += csv_cell(r["case"]);
    cell(r["grid_point"]);
    cell(r["draw"]);
    for (const auto& p : spec.parameters) cell(r["parameters"].value(p, json(nullptr)));
    for (const auto& k : sweep_figure_keys()) cell(r.value(k, json(nullptr)));
    cell(r.value("error", json(nullptr)));
    out += '\n';
  }
  return out;
}

SweepRowFigures read_sweep_row(const json& row) {
  auto num = [&row](const char* k) {
    const auto it = row.find(k);
    return it != row.end() && it->is_number() ? it->get<double>() : std::nan("");
  };
  SweepRowFigures f;
  f.index = row.at("case").get<std::size_t>();
  f.failed = !row.at("error").is_null();
  if (f.failed) {
    f.error = row["error"].get<std::string>();
    f.exit_code = row.value("exit_code", 1);
  }
  f.peak_facility_mw = num("peak_facility_mw");
  f.facility_energy_mwh = num("facility_energy_mwh");
  f.pue = num("pue");
  f.goodput = num("goodput");
  return f;
}

// ---- shared machinery ----------------------------------------------------------------------------

std::vector<std::size_t> grid_point_indices(std::size_t g, const std::vector<std::size_t>& axis_sizes) {
  std::vector<std::size_t> at(axis_sizes.size());
  for (std::size_t i = axis_sizes.size(); i-- > 0;) {
    at[i] = g % axis_sizes[i];
    g /= axis_sizes[i];
  }
  return at;
}

double grid_combinations(const std::vector<std::size_t>& axis_sizes) {
  double n = 1;
  for (const std::size_t s : axis_sizes) n *= static_cast<double>(s);
  return n;
}

void run_in_threads(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& fn) {
  const unsigned t = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, n))));
  if (t == 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr first;
  std::mutex m;
  auto worker = [&] {
    for (std::size_t i = next++; i < n && !stop; i = next++) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!first) first = std::current_exception();
        stop = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < t; ++k) pool.emplace_back(worker);
  for (auto& th : pool) th.join();
  if (first) std::rethrow_exception(first);
}

std::string override_text(const std::string& path, const json& value) { return path + "=" + value.dump(); }

void write_table_files(const std::string& dir, const std::string& stem, const std::string& csv, const json& doc) {
  write_file_atomic(dir + "/" + stem + ".csv", csv);
  write_file_atomic(dir + "/" + stem + ".json", doc.dump(2) + "\n");
}

std::vector<std::size_t> sweep_cases_of_rank(std::size_t cases, int rank, int ranks) {
  std::vector<std::size_t> out;
  for (std::size_t i = static_cast<std::size_t>(rank); i < cases; i += static_cast<std::size_t>(ranks)) out.push_back(i);
  return out;
}

bool launched_by_mpi_launcher() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

#ifndef DCTWIN_HAVE_MPI
// Built without MPI: one process, rank 0 of 1.
bool sweep_mpi_built() { return false; }
MpiSession::MpiSession(bool) {}
MpiSession::~MpiSession() = default;
std::vector<json> MpiSession::gather_rows(const std::vector<json>& local) const { return local; }
#endif

}  // namespace dctwin
