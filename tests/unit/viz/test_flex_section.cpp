// The utility report's "Firm and flexible load" section from summary.json curtailments.
#include <doctest/doctest.h>

#include <string>

#include "viz/report.h"
#include "viz/report_page.h"

using namespace dctwin;
using namespace dctwin::viz;

namespace {
std::string summary(const json& curtailments) {
  json s = {{"dctwin_version", "0.1.0"}, {"scenario", "flex"}, {"seed", 1}, {"duration_s", 600.0}, {"output_step_s", 60.0},
            {"facility_energy_mwh", 1.0}, {"peak_facility_mw", 6.0}, {"peak_facility_t_s", 0.0}, {"cooling_modelled", false},
            {"curtailments", curtailments}};
  return s.dump();
}
std::string csv() {
  std::string t = "t_s,facility_mw\n";
  for (int i = 0; i < 10; ++i) t += std::to_string(i * 60) + "," + (i >= 3 && i < 6 ? "4" : "6") + "\n";
  return t;
}
}  // namespace

TEST_CASE("flex section: the events, held or not, with their strategies, and none: firm") {
  const json ev = json::array({{{"at_s", 180.0}, {"notice_s", 60.0}, {"duration_s", 180.0}, {"asked_mw", 1.5}, {"achieved_mw", 2.0},
                                {"held", true}, {"time_to_target_s", 0.0},
                                {"strategies", json::array({{{"name", "checkpoint_pause"}, {"mw", 2.0}}})},
                                {"goodput_lost_gpu_hours", 12.5}, {"energy_shifted_mwh", 0.1}, {"rebound_peak_mw", 6.2}}});
  ReportOptions o;
  o.kind = ReportKind::Utility;
  o.generated = "2025-01-01 00:00 UTC";
  const std::string html = render_report(parse_run(summary(ev), csv()), o);
  CHECK(html.find("id=\"flexible\"") != std::string::npos);
  CHECK(html.find("1 of 1 curtailment events held") != std::string::npos);
  CHECK(html.find("checkpoint_pause 2.000 MW") != std::string::npos);
  CHECK(html.find("1 curtailment events") != std::string::npos);
  const std::string none = render_report(parse_run(summary(nullptr), csv()), o);
  CHECK(none.find("No curtailment was evaluated") != std::string::npos);
  CHECK(none.find("not evaluated") != std::string::npos);
}
