#include "viz/flex_section.h"

#include "viz/format.h"
#include "viz/json_fields.h"

namespace dctwin::viz {

void flexible_load_section(Doc& d, const Ctx& x) {
  d.h2("flexible", "Firm and flexible load");
  const json& cs = x.s.contains("curtailments") ? x.s["curtailments"] : json();
  if (!cs.is_array() || cs.empty()) {
    d.missing("No curtailment was evaluated in this run (scenario grid.curtailments); all of the demand above is shown as firm. "
              "dctwin flex maps the reduction the campus can offer by depth, duration and notice.");
    return;
  }
  std::vector<std::vector<Cell>> rows;
  std::size_t held = 0;
  for (const json& e : cs) {
    std::string mix;
    if (e.contains("strategies") && e["strategies"].is_array())
      for (const json& s : e["strategies"]) mix += (mix.empty() ? "" : ", ") + str(s, "name") + " " + fmt(num(s, "mw").value_or(0), 3) + " MW";
    const bool h = e.value("held", false);
    held += h;
    const auto ttt = num(e, "time_to_target_s");
    const auto reb = num(e, "rebound_peak_mw");
    rows.push_back({c(fmt_t(num(e, "at_s").value_or(0))), cnum(fmt(num(e, "notice_s").value_or(0), 0) + " s"),
                    cnum(fmt(num(e, "duration_s").value_or(0), 0) + " s"), cnum(fmt(num(e, "asked_mw").value_or(0), 3)),
                    cnum(fmt(num(e, "achieved_mw").value_or(0), 3)), c(h ? "held" : "not held", h ? "ok" : "bad"),
                    ttt ? cnum(fmt(*ttt, 0) + " s") : c("never", "missing"), c(mix.empty() ? "none" : mix),
                    cnum(fmt(num(e, "goodput_lost_gpu_hours").value_or(0), 1)), cnum(fmt(num(e, "energy_shifted_mwh").value_or(0), 3)),
                    reb ? cnum(fmt(*reb, 3)) : c("after the run", "missing")});
  }
  d.p(std::to_string(held) + " of " + std::to_string(cs.size()) + " curtailment events held over their whole window.",
      held == cs.size() ? "ok" : "bad");
  d.table({"start", "notice", "duration", "asked (MW)", "achieved (MW)", "held", "time to target", "strategies (mean MW)",
           "goodput lost (GPU-h)", "energy shifted (MWh)", "rebound peak (MW)"},
          rows);
  d.src("summary.json curtailments: reduction against the meter power just before notice; achieved = the reduction held over the "
        "whole window, from meter power (docs/scenario.md, Curtailments and flexibility).");
}

}  // namespace dctwin::viz
