// dctwin command line: parse, call the library, print. No physics here.
//   dctwin run [SCENARIO] [-o DIR] [--duration-s N] [--seed N] [--set path=value ...]
//   dctwin validate SCENARIO [--set path=value ...]
//   dctwin profiles                 (built-in GPU device profiles)
//   dctwin gpu-info                 (CUDA devices; exit 3 without a GPU or driver)
// Exit codes: 0 success; 2 bad input (one line per problem); 3 missing environment piece;
// 4 a conservation check failed; 1 an unexpected internal error.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "gpu_runtime/device_info.h"
#include "sim/results.h"
#include "sim/scenario_loader.h"

namespace {

using namespace dctwin;

int report_input_error(const InputError& e) {
  for (const auto& p : e.problems().list()) std::cerr << p.str() << "\n";
  std::cerr << e.problems().size() << (e.problems().size() == 1 ? " problem" : " problems")
            << " found; nothing was run.\n";
  return 2;
}

Scenario load(const std::string& path, const std::vector<std::string>& sets) {
  LoadOptions lo;
  lo.overrides = sets;
  return path.empty() ? load_default_scenario(lo) : load_scenario_file(path, lo);
}

// Progress on stderr: a bar when it is a terminal, a few plain lines when not.
struct Progress {
  bool tty = isatty(fileno(stderr)) != 0;
  int last_quarter = -1;
  void operator()(double f) {
    if (tty) {
      const int width = 40, filled = static_cast<int>(f * width);
      std::fprintf(stderr, "\r[%s%s] %3.0f%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(width - filled), '.').c_str(), f * 100);
      if (f >= 1.0) std::fprintf(stderr, "\n");
    } else {
      const int q = static_cast<int>(f * 4);
      if (q > last_quarter) {
        last_quarter = q;
        std::fprintf(stderr, "dctwin: %3.0f%% simulated\n", q * 25.0);
      }
    }
  }
};

int cmd_run(const std::string& scenario, const std::string& out, const std::vector<std::string>& sets_in,
            std::optional<double> duration_s, std::optional<std::int64_t> seed) {
  std::vector<std::string> sets = sets_in;
  if (duration_s) {
    // All 17 significant digits: a stream's default 6 would silently round 1.2345678 to 1.23457.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *duration_s);
    sets.push_back(std::string("simulation.duration_s=") + buf);
  }
  if (seed) sets.push_back("simulation.seed=" + std::to_string(*seed));
  const Scenario sc = load(scenario, sets);
  std::fprintf(stderr, "dctwin: %s: %lld GPUs in %lld racks, %.0f s simulated at %.3g s output resolution\n",
               sc.name.c_str(), static_cast<long long>(sc.total_gpus()), static_cast<long long>(sc.total_racks()),
               sc.duration_s, sc.output_step_s);
  Progress progress;
  RunOptions ro;
  ro.progress = [&progress](double f) { progress(f); };
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult r = run_scenario(sc, ro);
  write_results(out, sc, r);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const json& s = r.summary;
  std::printf("scenario            %s\n", sc.name.c_str());
  std::printf("GPUs                %lld (%lld in jobs)\n", static_cast<long long>(s["gpus"].get<std::int64_t>()),
              static_cast<long long>(s["gpus_in_jobs"].get<std::int64_t>()));
  std::printf("peak / mean IT      %.3f / %.3f MW\n", s["peak_it_mw"].get<double>(), s["mean_it_mw"].get<double>());
  std::printf("peak / mean meter   %.3f / %.3f MW (IT + electrical losses; cooling not modelled)\n",
              s["peak_facility_mw"].get<double>(), s["mean_facility_mw"].get<double>());
  std::printf("energy IT / losses  %.3f / %.3f MWh\n", s["it_energy_mwh"].get<double>(), s["losses_energy_mwh"].get<double>());
  std::printf("max ramp up / down  %.3f / %.3f MW/s (over %.3g s intervals)\n", s["max_ramp_up_mw_per_s"].get<double>(),
              s["max_ramp_down_mw_per_s"].get<double>(), s["ramp_window_s"].get<double>());
  std::printf("overloads           %zu\n", s["overloads"].size());
  for (const auto& o : s["overloads"])
    std::printf("  %s (%s): %.1f kW on a %.1f kW rating, margin %.1f kW\n", o["element"].get<std::string>().c_str(),
                o["condition"].get<std::string>().c_str(), o["load_kw"].get<double>(), o["rating_kw"].get<double>(),
                o["margin_kw"].get<double>());
  std::printf("results             %s/summary.json, %s/timeseries.csv\n", out.c_str(), out.c_str());
  std::fprintf(stderr, "dctwin: wall time %.2f s\n", wall);
  return 0;
}

int cmd_validate(const std::string& scenario, const std::vector<std::string>& sets) {
  const Scenario sc = load(scenario, sets);
  Facility facility(sc);  // placement problems are input problems too
  std::printf("%s: valid (%lld GPUs, %lld nodes, %lld racks, %zu jobs, %zu graph vertices)\n",
              sc.source.c_str(), static_cast<long long>(sc.total_gpus()), static_cast<long long>(sc.total_nodes()),
              static_cast<long long>(sc.total_racks()), sc.jobs.size(), facility.vertex_count());
  return 0;
}

int cmd_profiles() {
  for (const auto& name : builtin_profile_names()) {
    const auto g = load_builtin_profile(name);
    std::printf("%-10s TDP %5.0f W  idle %4.0f W  %5.0f GB  %6.0f TFLOP/s BF16 dense  %s\n", name.c_str(), g.tdp_w,
                g.idle_w, g.memory_gb, g.peak_dense_bf16_tflops, g.description.c_str());
  }
  return 0;
}

int cmd_gpu_info() {
  const auto q = gpu::query_devices();
  if (!q.ok) throw EnvironmentError(q.error);
  for (const auto& d : q.devices)
    std::printf("GPU %d: %s, compute capability %d.%d, %zu MiB, %d SMs\n", d.index, d.name.c_str(), d.cc_major,
                d.cc_minor, d.memory_bytes >> 20, d.sm_count);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dctwin: datacenter power and thermal twin for GPU campuses"};
  app.set_version_flag("--version", std::string("dctwin ") + DCTWIN_VERSION);
  app.require_subcommand(1);

  std::string scenario, out = "results/run";
  std::vector<std::string> sets;
  std::optional<double> duration_s;
  std::optional<std::int64_t> seed;

  auto* run = app.add_subcommand("run", "Simulate a scenario (the embedded 15K-GPU default without one)");
  run->add_option("scenario", scenario, "Scenario JSON file (default: embedded scenarios/mai1-15k-h100.json)");
  run->add_option("-o,--output", out, "Output folder for summary.json and timeseries.csv")->capture_default_str();
  run->add_option("--duration-s", duration_s, "Simulated time in s (overrides simulation.duration_s)");
  run->add_option("--seed", seed, "Random seed (overrides simulation.seed)");
  run->add_option("--set", sets, "Override a scenario value: path.to.key=value (repeatable)");

  auto* validate = app.add_subcommand("validate", "Check a scenario and report every problem");
  validate->add_option("scenario", scenario, "Scenario JSON file")->required();
  validate->add_option("--set", sets, "Override a scenario value: path.to.key=value (repeatable)");

  auto* profiles = app.add_subcommand("profiles", "List the built-in GPU device profiles");
  auto* gpu_info = app.add_subcommand("gpu-info", "List CUDA devices (needs an NVIDIA GPU and driver)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "dctwin: command line: " << e.what() << " (see dctwin --help)\n";
    return 2;
  }

  try {
    if (*run) return cmd_run(scenario, out, sets, duration_s, seed);
    if (*validate) return cmd_validate(scenario, sets);
    if (*profiles) return cmd_profiles();
    if (*gpu_info) return cmd_gpu_info();
  } catch (const InputError& e) {
    return report_input_error(e);
  } catch (const EnvironmentError& e) {
    std::cerr << "dctwin: " << e.what() << "\n";
    return 3;
  } catch (const ConservationError& e) {
    std::cerr << "dctwin: conservation check failed: " << e.what() << "\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "dctwin: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
