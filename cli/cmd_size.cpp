// dctwin size [SCENARIO] [--utility-mw N] [--gpu h100|h200|b200|gb200|gb300|PROFILE] [--redundancy N|N+1|2N]
//             [--weather FILE.epw|.ddy|.stat] [--policy nameplate|simulated] [--sim-margin-pct P]
//             [--sim-duration-s S] [--set path=value ...] [-o DIR]
// The largest deployment in whole racks that the site carries (sim/studies/sizing.h): prints the verdict
// against the racks installed first, then the binding constraint, the margin on every other one and
// the bill of materials, for the nameplate and the simulated provisioning policies side by side;
// writes DIR/sizing.json. Progress and warnings go to stderr.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "sim/studies/sizing.h"
#include "sim/studies/sizing_figures.h"

namespace dctwin::cli {

namespace {

struct SizeArgs {
  ScenarioArgs scenario;
  SizingOptions options;
  std::optional<double> utility_mw;
  std::string out = "results/size";
};

std::string racks_text(const SizingPolicyFigures& p) {
  if (!p.available) return "n/a (" + p.reason + ")";
  char buf[160];
  std::snprintf(buf, sizeof buf, "%lld racks, %lld GPUs", static_cast<long long>(p.max_racks), static_cast<long long>(p.max_gpus));
  std::string s = buf;
  if (p.binding) s += "; binding: " + p.binding->name + " (" + p.binding->condition + ")";
  return s;
}

int run(SizeArgs& a) {
  a.options.scenario_path = a.scenario.path;
  a.options.sets = a.scenario.sets;
  a.options.utility_mw = a.utility_mw;
  Progress progress;
  a.options.progress = [&progress](double f) { progress(f); };
  const json result = size_site(a.options);
  const SizingFigures r = read_sizing_figures(result);
  for (const auto& w : r.warnings) std::fprintf(stderr, "dctwin: warning: %s\n", w.c_str());
  std::printf("verdict: %s\n", r.verdict.c_str());
  std::string site = "cooling not modelled";
  if (const auto& dc = r.design_condition) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "design condition %.1f C dry bulb / %.1f C wet bulb: ", dc->dry_bulb_c, dc->wet_bulb_c);
    site = buf + dc->source;
  }
  std::printf("site: %s (%lld rows), %s\n", r.scenario.c_str(), static_cast<long long>(r.rows), site.c_str());
  std::printf("nameplate provisioning: %s\n", racks_text(r.nameplate).c_str());
  std::printf("simulated provisioning (peak + %.3g %% margin): %s\n", r.simulated.margin_pct.value(), racks_text(r.simulated).c_str());
  const char* policy = r.policy.c_str();
  if (!r.chosen().available) {
    std::printf("the %s policy could not be evaluated: %s\n", policy, r.chosen().reason.c_str());
  } else if (!r.feasible) {
    std::printf("INFEASIBLE under the %s policy: not even one rack fits. Failing constraints:\n", policy);
  } else {
    std::printf("answer (%s policy): %lld racks, %lld GPUs; binding constraint: %s\n", policy,
                static_cast<long long>(r.max_racks.value()), static_cast<long long>(r.max_gpus.value()),
                r.binding ? r.binding->name.c_str() : "none within the search limit");
  }
  // Columns as wide as their longest entry, so long element paths keep the table aligned.
  auto where_of = [](const auto& c) { return c.instances.empty() ? c.element : c.element + " " + c.instances; };
  int name_w = 10, where_w = 7;
  for (const auto& c : r.constraints) {
    if (!r.feasible && c.ok) continue;
    name_w = std::max(name_w, static_cast<int>(c.name.size()));
    where_w = std::max(where_w, static_cast<int>(where_of(c).size()));
  }
  std::printf("%-*s %-*s %-5s %12s %12s %12s %9s\n", name_w, "constraint", where_w, "element", "red.", "rating kW",
              "load kW", "failover kW", "margin %");
  for (const auto& c : r.constraints) {
    if (!r.feasible && c.ok) continue;
    std::printf("%-*s %-*s %-5s %s %s %s %s\n", name_w, c.name.c_str(), where_w, where_of(c).c_str(),
                c.redundancy.c_str(), figure_text("%.1f", c.rating_kw, 12).c_str(),
                figure_text("%.1f", c.load_kw, 12).c_str(), figure_text("%.1f", c.failover_load_kw, 12).c_str(),
                figure_text("%.2f", c.margin_pct, 9).c_str());
  }
  if (r.bill_of_materials) {
    std::printf("bill of materials:");
    for (const auto& [k, v] : *r.bill_of_materials) std::printf(" %s %lld;", k.c_str(), static_cast<long long>(v));
    std::printf("\n");
  }
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) throw std::runtime_error(a.out + ": cannot create the output folder: " + ec.message());
  write_file_atomic(a.out + "/sizing.json", result.dump(2) + "\n");
  std::printf("wrote %s/sizing.json\n", a.out.c_str());
  return 0;
}

}  // namespace

Command add_size_command(CLI::App& app) {
  auto args = std::make_shared<SizeArgs>();
  auto* sub = app.add_subcommand("size", "Largest deployment (whole racks) the site's power and cooling carry, with the binding constraint");
  args->scenario.add_to(sub, false);
  sub->add_option("--utility-mw", args->utility_mw, "Total utility capacity in MW (shared by the N needed feeds; default: the scenario's feeds)");
  sub->add_option("--gpu", args->options.gpu, "GPU of every node: h100, h200, b200, gb200, gb300, a built-in profile or a profile JSON file (default: the scenario's)");
  sub->add_option("--redundancy", args->options.redundancy, "N, N+1 or 2N for feeds, lineups, busways and plant units (default: the scenario's)");
  sub->add_option("--weather", args->options.weather_path, "Site weather: .epw (extremes, or the .ddy/.stat beside it), .ddy or .stat (default: the scenario's)");
  sub->add_option("--policy", args->options.policy, "Provisioning policy giving max_racks: nameplate or simulated");
  sub->add_option("--sim-margin-pct", args->options.sim_margin_pct, "Margin on the simulated peak, %");
  sub->add_option("--sim-duration-s", args->options.sim_duration_s, "Simulated seconds of the workload run");
  add_out_option(sub, args->out, "Output folder; writes DIR/sizing.json", "DIR");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
