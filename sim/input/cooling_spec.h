// The scenario's optional "cooling" object (docs/scenario.md, section "Cooling"): how the heat
// of the IT equipment leaves the campus. Parsed and validated by read_cooling_spec(), called by
// the scenario loader; without the object the run models no cooling (cooling figures are null).
//
// Every figure is in SI inside (W, kg/s, Pa, s); the JSON keys carry their unit (_kw, _c, _k,
// _kpa, _m3). The plant that uses these figures is sim/plant/cooling_plant.h.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/thermal/air_handler.h"
#include "models/thermal/chiller.h"
#include "models/thermal/cooling_tower.h"
#include "models/thermal/dry_cooler.h"
#include "models/thermal/gpu_junction.h"
#include "models/weather/design_day.h"
#include "models/weather/epw.h"
#include "core/json_reader.h"
#include "sim/facility/redundancy.h"

namespace dctwin {

struct Scenario;

struct CduSpec {
  double design_heat_w = 0;      // per CDU
  double tcs_flow_kg_s = 0;      // technology cooling loop (rack side) flow, constant
  double fws_flow_kg_s = 0;      // facility-side flow at the rating point
  double tcs_return_c = 0;       // rating point: rack outlet
  double fws_supply_c = 0;       // rating point: facility water entering
  double pump_power_w = 0;       // at design TCS flow
  Redundancy redundancy;
};

struct FacilityWaterSpec {
  double supply_c = 0;                 // supply setpoint
  double design_delta_t_k = 0;         // return - supply at the design (nameplate) heat: sizes the flow
  double loop_volume_m3 = 0;           // water held in the loop (thermal mass)
  double pump_head_kpa = 0;            // facility water pumps, constant flow
  double pump_efficiency = 0;          // wire-to-water
  thermal::AshraeLiquidClass ashrae_class = thermal::AshraeLiquidClass::W32;
  std::string ashrae_class_name;
};

struct ChillerSpec {
  int count = 0;  // N: duty chillers
  Redundancy redundancy;
  std::string curve_set;  // "doe2-centrifugal-5.5cop" or "mcquay-wsc-471kw"
  thermal::ChillerParams params{};  // curve set with the scenario's ref capacity and COP
  double stage_plr = 0.9;
};

struct TowerSpec {
  int cells = 0;  // N
  Redundancy redundancy;
  thermal::CoolingTowerParams params{};  // per cell
  double design_heat_w = 0;              // per cell
  double leaving_setpoint_c = 0;         // condenser water target with the chillers running
  thermal::TowerWaterParams water{};
};

struct DryCoolerSpec {
  int count = 0;  // N
  Redundancy redundancy;
  thermal::DryCoolerParams params{};  // per unit
  double design_heat_w = 0;
  double leaving_setpoint_c = 0;  // condenser water target with the chillers running
};

struct CondenserSpec {
  double pump_head_kpa = 0;
  double pump_efficiency = 0;
  double design_delta_t_k = 0;  // sizes the condenser water flow from the plant's design heat
};

struct EconomizerSpec {
  bool enabled = false;
  double hx_approach_k = 0;
};

struct AirSideSpec {
  double crah_design_heat_w = 0;       // per CRAH
  double crah_design_fan_power_w = 0;  // per CRAH at full speed
  double crah_min_speed = 0;
  double crah_time_constant_s = 0;     // fan control lag of the air heat (models/power/fan_control.h; 0: none)
  double design_delta_t_k = 0;         // air temperature rise through the racks
  double supply_air_c = 0;             // supply air setpoint (rack inlet)
  double coil_approach_k = 0;          // supply air >= facility water supply + approach
  Redundancy redundancy;
  thermal::AshraeAirClass ashrae_class = thermal::AshraeAirClass::A1;
  std::string ashrae_class_name;
};

struct WeatherSpec {
  enum class Kind { DesignDay, Epw } kind = Kind::DesignDay;
  weather::DesignDayParams design_day{};
  std::string epw_path;  // as resolved
  std::shared_ptr<const weather::EpwWeather> epw;
  double start_day_of_year = 1;  // t = 0 of the run is 00:00 of this day (EPW; 1 = Jan 1)
  std::string describe() const;
  // EPW only: the wall-clock local time of run time t_s from the file's calendar
  // (weather::epw_local_time); "" for a design day.
  std::string local_time(double t_s) const;
};

// GPU junction temperatures and their feedback (leakage power, clock throttling): optional; without
// it junction temperatures are not modelled (max_junction_c and throttled_gpu_hours are null).
struct GpuThermalSpec {
  std::vector<thermal::GpuJunctionParams> by_rack_type;  // per Scenario::rack_types, filled in
  bool leakage = false;                                   // "leakage" object given
  double dvfs_exponent = 3;                               // clock slowdown of throttled compute phases
  double power_tolerance_w = 0.5;                         // re-evaluate facility power when leakage moves more
};

// A plant unit out of service from at_s for duration_s (the rest of the run when absent).
struct PlantFailureSpec {
  enum class Unit { Chiller, Cdu, TowerCell, DryCooler, Crah } unit = Unit::Chiller;
  std::string unit_name;  // as in the scenario: "chiller", "cdu", "tower_cell", "dry_cooler", "crah"
  int count = 1;
  double at_s = 0;
  double duration_s = 0;  // +inf: until the end of the run
  std::string json_path;
};

struct CoolingSpec {
  double default_capture_fraction = 0;      // heat to liquid (cold plates) of a rack type not listed
  std::vector<double> capture_by_rack_type; // per Scenario::rack_types, filled in
  std::string capture_note;                 // how the campus fraction is formed
  bool losses_busway_in_space = true;       // fixed choice, see cooling_plant.h
  std::optional<CduSpec> cdu;               // required when any capture fraction > 0
  FacilityWaterSpec facility_water;
  std::optional<ChillerSpec> chillers;
  std::optional<TowerSpec> towers;
  std::optional<DryCoolerSpec> dry_coolers;
  CondenserSpec condenser;
  EconomizerSpec economizer;
  std::optional<AirSideSpec> air;           // required when any capture fraction < 1
  WeatherSpec weather;
  std::optional<GpuThermalSpec> gpu_thermal;
  std::vector<PlantFailureSpec> failures;
};

// Curve sets the "curve_set" key accepts.
const std::vector<std::string>& chiller_curve_sets();

// Reads root["cooling"] when present (nullopt otherwise). Rack types must already be read
// (capture fractions are keyed by rack type name). `base_dir` resolves "epw_file". Problems are
// reported through `root` with their JSON path.
std::optional<CoolingSpec> read_cooling_spec(JsonReader& root, const Scenario& sc, const std::string& base_dir);

}  // namespace dctwin
