#include "viz/study_table.h"

#include <algorithm>
#include <filesystem>

#include "core/json_input.h"
#include "sim/studies/sweep.h"
#include "sim/studies/whatif.h"

namespace dctwin::viz {

namespace {

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool is_bookkeeping(const std::string& k) {
  static const std::vector<std::string> keys = {"case", "plant_failures", "error", "exit_code", "run_dir", "grid_point",
                                                "draw", "parameters"};
  return std::find(keys.begin(), keys.end(), k) != keys.end();
}

std::vector<CompareFigure> figures_of(const std::vector<std::string>& keys) {
  std::vector<CompareFigure> f;
  for (const auto& k : keys) f.push_back(compare_figure(k));
  return f;
}

void whatif_table(StudyTable& t, const json& doc) {
  std::vector<std::string> keys;
  for (const auto& c : whatif_columns()) keys.emplace_back(c.key);
  t.figures = figures_of(keys);
  if (doc.contains("period") && doc["period"].is_string()) t.period = doc["period"].get<std::string>();
  if (doc.contains("axes") && doc["axes"].is_array()) {
    for (const auto& a : doc["axes"])
      if (a.is_string()) t.parameters.push_back(a.get<std::string>());
      else if (a.is_object() && a.contains("path") && a["path"].is_string()) t.parameters.push_back(a["path"].get<std::string>());
  } else {
    for (const auto& c : t.cases)
      for (const auto& [k, v] : c.items())
        if (!is_bookkeeping(k) && std::find(keys.begin(), keys.end(), k) == keys.end() &&
            std::find(t.parameters.begin(), t.parameters.end(), k) == t.parameters.end())
          t.parameters.push_back(k);
  }
  for (const auto& c : t.cases) {
    std::string label = "case " + (c.contains("case") ? value_text(c["case"]) : std::string("?"));
    std::string vals;
    for (const auto& p : t.parameters)
      if (c.contains(p)) vals += (vals.empty() ? "" : ", ") + p + "=" + value_text(c[p]);
    t.labels.push_back(vals.empty() ? label : label + ": " + vals);
    t.errors.emplace_back();
  }
}

void sweep_table(StudyTable& t, const json& doc) {
  std::vector<std::string> keys;
  if (doc.contains("figures") && doc["figures"].is_array()) {
    for (const auto& k : doc["figures"])
      if (k.is_string()) keys.push_back(k.get<std::string>());
  } else {
    keys = sweep_figure_keys();
  }
  t.figures = figures_of(keys);
  if (doc.contains("parameters") && doc["parameters"].is_array())
    for (const auto& p : doc["parameters"])
      if (p.is_string()) t.parameters.push_back(p.get<std::string>());
  for (const auto& c : t.cases) {
    std::string label = "case " + (c.contains("case") ? value_text(c["case"]) : std::string("?"));
    std::string vals;
    if (c.contains("parameters") && c["parameters"].is_object())
      for (const auto& [k, v] : c["parameters"].items()) vals += (vals.empty() ? "" : ", ") + k + "=" + value_text(v);
    t.labels.push_back(vals.empty() ? label : label + ": " + vals);
    t.errors.push_back(c.contains("error") && !c["error"].is_null() ? value_text(c["error"]) : std::string());
  }
}

}  // namespace

StudyTable parse_study_table(const std::string& text, const std::string& kind, const std::string& file) {
  Problems problems;
  const json doc = parse_json(text, file, problems);
  if (!problems.empty()) throw InputError(problems);
  const std::string what = kind == "sweep" ? "the table dctwin sweep writes" : "the table dctwin whatif writes";
  if (!doc.is_object()) {
    problems.add(file, "$", "a JSON object (" + what + ")", JsonReader::describe(&doc));
    throw InputError(problems);
  }
  if (!doc.contains("cases") || !doc["cases"].is_array()) {
    problems.add(file, "$.cases", "a list of cases", doc.contains("cases") ? JsonReader::describe(&doc["cases"]) : "missing");
    throw InputError(problems);
  }
  StudyTable t;
  t.kind = kind;
  t.file = file;
  const json& cases = doc["cases"];
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (!cases[i].is_object())
      problems.add(file, "$.cases[" + std::to_string(i) + "]", "a case object", JsonReader::describe(&cases[i]));
  if (cases.empty()) problems.add(file, "$.cases", "at least one case", "an empty list");
  if (!problems.empty()) throw InputError(problems);
  t.cases.assign(cases.begin(), cases.end());
  if (kind == "sweep")
    sweep_table(t, doc);
  else
    whatif_table(t, doc);
  return t;
}

std::optional<StudyTable> load_study_folder(const std::string& dir) {
  for (const char* kind : {"whatif", "sweep"}) {
    const std::string path = dir + "/" + kind + ".json";
    if (!std::filesystem::exists(path)) continue;
    Problems problems;
    const std::string text = read_text_file(path, problems);
    if (!problems.empty()) throw InputError(problems);
    return parse_study_table(text, kind, path);
  }
  return std::nullopt;
}

}  // namespace dctwin::viz
