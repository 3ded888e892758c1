// dctwin flex [SCENARIO] [--jobs N] [--set path=value ...] [-o DIR]
// What curtailment the campus can offer (sim/studies/flex.h): depth x duration x notice, feasible or
// not, the strategy mix and the cost; DIR/flex.csv and DIR/flex.json; a line per depth on stdout.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "sim/studies/flex.h"
#include "sim/studies/sweep.h"

namespace dctwin::cli {

namespace {
struct FlexArgs {
  ScenarioArgs scenario;
  unsigned jobs = 0;
  std::string out = "results/flex";
};
}  // namespace

Command add_flex_command(CLI::App& app) {
  auto a = std::make_shared<FlexArgs>();
  auto* sub = app.add_subcommand("flex", "Map the curtailment the campus can offer (depth x duration x notice) and its cost");
  a->scenario.add_to(sub, false);
  add_jobs_option(sub, a->jobs, "--jobs", "Threads");
  add_out_option(sub, a->out, "Output folder: DIR/flex.csv, DIR/flex.json", "DIR");
  return {sub, [a] {
            const Scenario sc = a->scenario.load();
            FlexOptions o;
            o.threads = thread_count(a->jobs);
            create_output_folder(a->out, "output folder (-o)");
            const FlexMap m = flex_map(sc, o);
            write_table_files(a->out, "flex", flex_csv(m), flex_json(m));
            std::printf("%10s %28s\n", "depth_pct", "longest held (notice 0 s)");
            for (double d : o.depths_pct) {
              double longest = 0;
              for (const FlexCase& c : m.cases)
                if (c.depth_pct == d && c.notice_s == 0 && c.feasible) longest = std::max(longest, c.duration_s);
              std::printf("%10.0f %26.2f h\n", d, longest / 3600);
            }
            std::printf("wrote %s/flex.csv, %s/flex.json (%zu cases)\n", a->out.c_str(), a->out.c_str(), m.cases.size());
            return 0;
          }};
}

}  // namespace dctwin::cli
