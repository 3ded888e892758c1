// dctwin ride-through [SCENARIO] [--depths N] [--durations N] [--jobs N] [--set path=value ...] [-o DIR]
// The campus's ride-through map (sim/studies/ride_through.h): one voltage sag per case, remaining
// voltage 0..0.9 p.u. x duration 1 ms..10 s (log), written to DIR/ride_through.csv; a one-line
// summary per depth on stdout. Then the PERC1-structured load model fitted to up to 5 x 5 of those
// events (sim/studies/perc1_fit.h), written to DIR/perc1.json (no .dyr: its layout is not public).
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "sim/studies/perc1_fit.h"
#include "sim/studies/ride_through.h"

namespace dctwin::cli {

namespace {
struct RideThroughArgs {
  ScenarioArgs scenario;
  RideThroughOptions options;
  unsigned jobs = 0;
  std::string out = "results/ride-through";
};
}  // namespace

Command add_ride_through_command(CLI::App& app) {
  auto a = std::make_shared<RideThroughArgs>();
  auto* sub = app.add_subcommand("ride-through", "Map what a voltage sag (depth x duration) does to the campus's load at the meter, and fit a PERC1-structured load model to it");
  a->scenario.add_to(sub, false);
  sub->add_option("--depths", a->options.depths, "Remaining-voltage levels, 0 to 0.9 p.u.")->check(CLI::Range(1, 91));
  sub->add_option("--durations", a->options.durations, "Durations, 1 ms to 10 s, logarithmic")->check(CLI::Range(1, 1000));
  add_jobs_option(sub, a->jobs, "--jobs", "Threads");
  add_out_option(sub, a->out, "Output folder: DIR/ride_through.csv and DIR/perc1.json (PERC1-structured load model fit)", "DIR");
  return {sub, [a] {
            const Scenario sc = a->scenario.load();
            a->options.threads = thread_count(a->jobs);
            create_output_folder(a->out, "output folder (-o)");
            const RideThroughMap m = ride_through_map(sc, a->options);
            write_file_atomic(a->out + "/ride_through.csv", ride_through_csv(m));
            std::printf("load before: %.3f MW at the meter, UPS %.3f MW installed\n", m.loads.meter_w * 1e-6,
                        m.loads.ups_rated_w * 1e-6);
            std::printf("%12s %22s %18s\n", "remaining_pu", "max load_lost_mw", "IT power lost at");
            const int nt = std::max(1, a->options.durations);
            for (std::size_t i = 0; i < m.points.size(); i += static_cast<std::size_t>(nt)) {
              double lost = 0;
              std::optional<double> first_loss;
              for (std::size_t j = i; j < i + static_cast<std::size_t>(nt) && j < m.points.size(); ++j) {
                lost = std::max(lost, m.points[j].result.load_lost_w * 1e-6);
                if (!first_loss && m.points[j].result.it_power_lost) first_loss = m.points[j].duration_s;
              }
              std::printf("%12.3f %22.3f %18s\n", m.points[i].remaining_pu, lost, figure_text("%.4g s", first_loss).c_str());
            }
            std::printf("wrote %s/ride_through.csv (%zu cases)\n", a->out.c_str(), m.points.size());
            const std::vector<Perc1Event> ev = perc1_events_from_map(sc, m, a->options);
            const Perc1Fit fit = fit_perc1(ev, {a->options.threads});
            write_file_atomic(a->out + "/perc1.json", perc1_fit_json(fit).dump(2) + "\n");
            std::printf("PERC1 (PERC1-structured, see perc1.json): Fcease %.3f, Frecon %.3f, Vcease %.3f p.u., Trecon %.3f s, "
                        "Tramp %.3f s; fit error %.3f %% of the load over %zu events\n",
                        fit.params.fcease, fit.params.frecon, fit.params.vcease_pu, fit.params.trecon_s, fit.params.tramp_s,
                        fit.fit_error_pct, fit.events);
            std::printf("wrote %s/perc1.json (no perc1.dyr: the PERC1 record layout is not public)\n", a->out.c_str());
            return 0;
          }};
}

}  // namespace dctwin::cli
