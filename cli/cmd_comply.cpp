// dctwin comply [SCENARIO] --requirements REQ.json [--set ...] [--duration-s N] [-o DIR] [--mitigate ...]
// Runs the scenario at the resolution the requirements need and checks each requirement against
// the utility meter (sim/studies/comply.h); writes DIR/compliance.json. Exit 0 whether it passes or
// not; a bad requirements file exits 2. With --mitigate, the search of sim/studies/mitigation_search.h
// adds "mitigation". This file only reads the options and prints.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "sim/studies/comply.h"
#include "sim/studies/mitigation_search.h"

namespace dctwin::cli {

namespace {

struct ComplyArgs {
  ScenarioArgs scenario;
  std::string requirements;
  std::optional<double> duration_s;
  std::string out = "results/comply";
  bool mitigate = false;
  unsigned threads = 0;  // 0: hardware threads
  MitigationOptions m;
};

void print_mitigation(const json& m) {
  std::printf("mitigation          %s (%zu cases)\n", m["description"].get<std::string>().c_str(), m["frontier"].size());
  for (const json& s : m["sets"]) std::printf("  --set '%s'\n", s.get<std::string>().c_str());
  for (const json& u : m.value("unmet", json::array()))
    std::printf("  unmet %s: %s\n", u["check"].get<std::string>().c_str(), u["why"].get<std::string>().c_str());
}

int comply(const ComplyArgs& a) {
  const Requirements q = load_requirements_file(a.requirements);
  if (a.duration_s && !(*a.duration_s >= 1e-3 && *a.duration_s <= kMaxDurationS)) {
    Problems p;
    p.add("--duration-s", "value", "a number in [0.001, " + exact_number(kMaxDurationS) + "]", exact_number(*a.duration_s));
    throw InputError(p);
  }
  ComplyRequest req{a.scenario.path, a.scenario.sets, a.duration_s};
  Progress progress;
  RunOptions ro;
  ro.progress = [&progress](double f) { progress(f); };
  json summary;
  json doc = run_compliance(q, req, ro, &summary);
  progress.clear_line();
  if (a.mitigate) {
    MitigationOptions mo = a.m;
    mo.threads = thread_count(a.threads);
    mo.on_case = [](std::size_t done) { std::fprintf(stderr, "dctwin comply --mitigate: %zu cases run\r", done); };
    doc["mitigation"] = search_mitigation(q, req, doc, summary, mo);
    std::fprintf(stderr, "\n");
  }
  std::filesystem::create_directories(a.out);
  write_file_atomic((std::filesystem::path(a.out) / "compliance.json").string(), doc.dump(2) + "\n");
  std::printf("requirements        %s (%s)\n", q.name.c_str(), q.source.c_str());
  std::printf("run                 %.0f s at %.4g s output step\n", doc["run"]["duration_s"].get<double>(),
              doc["run"]["output_step_s"].get<double>());
  for (const json& c : doc["checks"]) {
    const char* mark = c["pass"].is_null() ? "n/a " : (c["pass"].get<bool>() ? "pass" : "FAIL");
    std::printf("  %s  %-28s %s %s (limit %s)%s\n", mark, c["name"].get<std::string>().c_str(),
                c["value"].is_null() ? "n/a" : figure_text("%.4g", c["value"].get<double>()).c_str(), c["unit"].get<std::string>().c_str(),
                figure_text("%.4g", c["limit"].get<double>()).c_str(), c["note"].is_null() ? "" : (" " + c["note"].get<std::string>()).c_str());
  }
  std::printf("verdict             %s\n", doc["verdict"].get<std::string>().c_str());
  if (doc.contains("mitigation")) print_mitigation(doc["mitigation"]);
  std::printf("results             %s/compliance.json\n", a.out.c_str());
  return 0;
}

}  // namespace

Command add_comply_command(CLI::App& app) {
  auto a = std::make_shared<ComplyArgs>();
  auto* sub = app.add_subcommand("comply",
                                 "Check a utility's interconnection requirements (ramps, steps, range, oscillation bands, demand, "
                                 "power factor, flicker) against the simulated meter");
  a->scenario.add_to(sub, false);
  sub->add_option("--requirements", a->requirements, "Requirements JSON file (docs/requirements.md)")->required();
  sub->add_option("--duration-s", a->duration_s, "Simulated time in s (default: the scenario's simulation.duration_s)");
  add_out_option(sub, a->out, "Output folder; writes compliance.json", "DIR");
  sub->add_flag("--mitigate", a->mitigate, "Search the modelled mitigations for the least costly set that passes (docs/requirements.md)");
  add_jobs_option(sub, a->threads, "--jobs,--threads", "Cases run at once by --mitigate");
  sub->add_option("--usd-per-mwh", a->m.usd_per_mwh, "Tariff for the extra energy when the scenario has no grid.price_carbon_file")
      ->check(CLI::Range(0.0, 1e6));
  sub->add_option("--battery-usd-per-kwh", a->m.battery_usd_per_kwh, "Battery capital cost per kWh (else null)")->check(CLI::Range(0.0, 1e6));
  sub->add_option("--battery-usd-per-kw", a->m.battery_usd_per_kw, "Battery capital cost per kW (else null)")->check(CLI::Range(0.0, 1e6));
  sub->add_option("--horizon-years", a->m.horizon_years, "Years of energy cost set against battery capital when ranking by money")
      ->check(CLI::Range(0.1, 100.0));
  sub->footer("Exit 0 whether the requirements are met or not (see \"verdict\"); 2 for a bad requirements file or scenario.\n");
  return {sub, [a] { return comply(*a); }};
}

}  // namespace dctwin::cli
