#include "viz/cost_section.h"

#include <algorithm>
#include <numeric>

#include "viz/format.h"
#include "viz/json_fields.h"
#include "viz/run_data.h"

namespace dctwin::viz {

namespace {

// One figure of the run: summary.json's total, the sum of cost_emissions.csv's column and its
// highest bucket.
std::vector<Cell> total_row(const Ctx& x, const std::string& label, const char* key, const char* column, int decimals,
                            const std::string& unit) {
  const auto total = num(x.s, key);
  const auto* v = x.rd.cost_emissions.empty() ? nullptr : &x.rd.cost_emissions.at("t_s");
  const auto it = x.rd.cost_emissions.find(column);
  if (!total) return {c(label), c("not given in the price and carbon file", "missing"), c("—"), c("—")};
  if (!v || it == x.rd.cost_emissions.end() || it->second.empty())
    return {c(label), cnum(fmt(*total, decimals) + unit), c("—"), c("—")};
  const auto& col = it->second;
  const auto k = static_cast<std::size_t>(std::max_element(col.begin(), col.end()) - col.begin());
  return {c(label), cnum(fmt(*total, decimals) + unit), cnum(fmt(std::accumulate(col.begin(), col.end(), 0.0), decimals) + unit),
          c(fmt(col[k], decimals) + unit + " at " + fmt_t((*v)[k]))};
}

// A step chart of cost_emissions.csv columns (name, label), one value per bucket held over it.
void bucket_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title, const std::string& y_name, const std::string& unit,
                  const std::vector<std::pair<std::string, std::string>>& cols) {
  const auto& ce = x.rd.cost_emissions;
  const auto& t0 = ce.at("t_s");
  const auto& len = ce.at("duration_s");
  std::vector<double> t(t0);
  t.push_back(t0.back() + len.back());
  json spec = chart_base(x, id, "timeseries", title);
  spec["yName"] = y_name;
  spec["unit"] = unit;
  spec["clock"] = x.duration >= 3600;
  spec["series"] = json::array();
  for (const auto& [col, label] : cols) {
    const auto it = ce.find(col);
    if (it == ce.end()) continue;
    std::vector<double> v(it->second);
    v.push_back(v.back());
    spec["series"].push_back({{"name", label}, {"t", round_series(t, 10)}, {"v", round_series(v, 8)}, {"step", true}});
  }
  x.charts.push_back(spec);
  d.chart(id, 300);
}

void cost_emissions_body(Doc& d, Ctx& x) {
  if (!num(x.s, "energy_cost_usd")) {
    d.missing("No price or carbon-intensity series was given (scenario grid.price_carbon_file): the run's energy cost and emissions "
              "are not modelled, and no series is drawn.");
    return;
  }
  const auto& ce = x.rd.cost_emissions;
  const bool series = ce.count("t_s") && ce.count("duration_s") && !ce.at("t_s").empty() && ce.count("cost_usd") &&
                      ce.count("emissions_t_co2") && ce.count("usd_per_mwh") && ce.count("kg_co2_per_mwh");
  const bool marginal = num(x.s, "emissions_marginal_t_co2").has_value();
  d.table({"figure", "run total (summary.json)", "sum of the buckets (cost_emissions.csv)", "highest bucket"},
          {total_row(x, "Energy cost", "energy_cost_usd", "cost_usd", 2, " USD"),
           total_row(x, "Emissions, location-based", "emissions_t_co2", "emissions_t_co2", 3, " t CO2"),
           total_row(x, "Emissions, marginal", "emissions_marginal_t_co2", "marginal_emissions_t_co2", 3, " t CO2")});
  if (!series) {
    d.missing("cost_emissions.csv is not in the run folder (dctwin run writes it with grid.price_carbon_file): cost and emissions "
              "are not drawn over time.");
    return;
  }
  const double bucket = ce.at("duration_s").front();
  const std::string per = "per " + interval_label(bucket);
  bucket_chart(d, x, "chart-cost", "Energy cost " + per + " (USD)", "cost (USD)", "USD", {{"cost_usd", "energy cost"}});
  std::vector<std::pair<std::string, std::string>> em = {{"emissions_t_co2", "location-based"}};
  if (marginal) em.emplace_back("marginal_emissions_t_co2", "marginal");
  bucket_chart(d, x, "chart-emissions", "Emissions " + per + " (t CO2)", "emissions (t CO2)", "t CO2", em);
  bucket_chart(d, x, "chart-price", "Energy price, mean " + per + " (USD/MWh)", "price (USD/MWh)", "USD/MWh",
               {{"usd_per_mwh", "energy price"}});
  std::vector<std::pair<std::string, std::string>> ci = {{"kg_co2_per_mwh", "location-based"}};
  if (marginal) ci.emplace_back("marginal_kg_co2_per_mwh", "marginal");
  bucket_chart(d, x, "chart-intensity", "Grid carbon intensity, mean " + per + " (kg CO2/MWh)", "intensity (kg CO2/MWh)",
               "kg CO2/MWh", ci);
  d.src("cost_emissions.csv: the meter energy of each " + interval_label(bucket) +
        " bucket (the longest of 1 h, 15 min, 5 min, 1 min, 10 s, 1 s giving the run at least 12 buckets; never shorter than the "
        "output step) times the price and intensity in force, output bins split exactly at the series' steps and the bucket edges; the "
        "buckets sum to the summary's totals. Price and intensity are the series' time-weighted means over each bucket "
        "(models/grid/price_carbon_buckets.h). Demand and capacity charges and taxes are not modelled.");
}

}  // namespace

void cost_emissions_section(Doc& d, Ctx& x) {
  d.h2("cost-emissions", "Cost and emissions");
  cost_emissions_body(d, x);
  d.end_section();
}

}  // namespace dctwin::viz
