// gpu_runtime/common/nvml_sampler.cpp — NVML through dlopen. Every function used is declared here
// with the signature of the NVML API reference (docs.nvidia.com/deploy/nvml-api/, "Device Queries"
// and "Initialization and Cleanup"); types are the reference's, reduced to what is read.
#include "gpu_runtime/common/nvml_sampler.h"

#include "gpu_runtime/common/dl_symbol.h"

#include <dlfcn.h>

#include <cmath>
#include <limits>

namespace dctwin::gpu {

namespace {

using nvmlReturn_t = int;        // NVML_SUCCESS = 0
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t NVML_SUCCESS = 0;
constexpr unsigned NVML_FI_DEV_POWER_AVERAGE = 185;  // nvml.h: power averaged over 1 s (mW)
constexpr unsigned NVML_FI_DEV_POWER_INSTANT = 186;  // nvml.h: instantaneous power (mW)
constexpr int NVML_TEMPERATURE_GPU = 0;              // nvmlTemperatureSensors_t
constexpr int NVML_CLOCK_SM = 1;                     // nvmlClockType_t

// nvmlValue_t: a union of 8 bytes (double, unsigned int, unsigned long, unsigned long long, ...).
union nvmlValue_t {
  double dVal;
  unsigned int uiVal;
  unsigned long ulVal;
  unsigned long long ullVal;
  long long sllVal;
  int siVal;
  unsigned short usVal;
};
// nvmlFieldValue_t (NVML reference, "Field Value Queries").
struct nvmlFieldValue_t {
  unsigned int fieldId;
  unsigned int scopeId;
  long long timestamp;    // CPU timestamp of the value, µs since 1970
  long long latencyUsec;  // how long the value took to update, µs
  int valueType;          // nvmlValueType_t
  nvmlReturn_t nvmlReturn;
  nvmlValue_t value;
};

// The value of a field as its valueType (nvmlValueType_t: DOUBLE 0, UNSIGNED_INT 1, UNSIGNED_LONG 2,
// UNSIGNED_LONG_LONG 3, SIGNED_LONG_LONG 4, SIGNED_INT 5, UNSIGNED_SHORT 6) says; NaN for another type.
double field_value(const nvmlFieldValue_t& f) {
  switch (f.valueType) {
    case 0: return f.value.dVal;
    case 1: return f.value.uiVal;
    case 2: return static_cast<double>(f.value.ulVal);
    case 3: return static_cast<double>(f.value.ullVal);
    case 4: return static_cast<double>(f.value.sllVal);
    case 5: return f.value.siVal;
    case 6: return f.value.usVal;
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

}  // namespace

struct Nvml::Api {
  // nvmlReturn_t nvmlInit_v2(void)
  nvmlReturn_t (*init)() = nullptr;
  // nvmlReturn_t nvmlShutdown(void)
  nvmlReturn_t (*shutdown)() = nullptr;
  // const char* nvmlErrorString(nvmlReturn_t result)
  const char* (*error_string)(nvmlReturn_t) = nullptr;
  // nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device)
  nvmlReturn_t (*handle)(unsigned, nvmlDevice_t*) = nullptr;
  // nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned int length)
  nvmlReturn_t (*name)(nvmlDevice_t, char*, unsigned) = nullptr;
  // nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int valuesCount, nvmlFieldValue_t* values)
  nvmlReturn_t (*field_values)(nvmlDevice_t, int, nvmlFieldValue_t*) = nullptr;
  // nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int* power)   (mW; 1-s average on Ampere+)
  nvmlReturn_t (*power_usage)(nvmlDevice_t, unsigned*) = nullptr;
  // nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long* energy)   (mJ)
  nvmlReturn_t (*energy)(nvmlDevice_t, unsigned long long*) = nullptr;
  // nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, nvmlTemperatureSensors_t sensorType, unsigned int* temp)
  nvmlReturn_t (*temperature)(nvmlDevice_t, int, unsigned*) = nullptr;
  // nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, nvmlClockType_t type, unsigned int* clock)   (MHz)
  nvmlReturn_t (*clock)(nvmlDevice_t, int, unsigned*) = nullptr;
  // nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t device, unsigned long long* clocksEventReasons)
  // (older drivers: nvmlDeviceGetCurrentClocksThrottleReasons, same signature)
  nvmlReturn_t (*reasons)(nvmlDevice_t, unsigned long long*) = nullptr;
  // nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int* limit)   (mW)
  nvmlReturn_t (*enforced_limit)(nvmlDevice_t, unsigned*) = nullptr;
  // nvmlReturn_t nvmlDeviceSetPowerManagementLimit(nvmlDevice_t device, unsigned int limit)   (mW; root)
  nvmlReturn_t (*set_limit)(nvmlDevice_t, unsigned) = nullptr;

  std::string err(nvmlReturn_t r) const {
    return error_string ? std::string(error_string(r)) + " (NVML error " + std::to_string(r) + ")" : "NVML error " + std::to_string(r);
  }
};

Nvml::Nvml() : api_(std::make_unique<Api>()) {
  lib_ = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib_ == nullptr) {
    const char* e = dlerror();
    error_ = std::string("cannot load NVML (libnvidia-ml.so.1: ") + (e ? e : "not found") +
             "): install the NVIDIA driver (NVML ships with it) and check `nvidia-smi` works";
    return;
  }
  auto sym = [&](auto& fn, const char* name) { return dl_symbol(lib_, fn, name); };
  bool all = sym(api_->init, "nvmlInit_v2") && sym(api_->shutdown, "nvmlShutdown") &&
             sym(api_->error_string, "nvmlErrorString") && sym(api_->handle, "nvmlDeviceGetHandleByIndex_v2");
  if (!all) {
    error_ = "the NVML library found lacks nvmlInit_v2 / nvmlDeviceGetHandleByIndex_v2: update the NVIDIA driver";
    return;
  }
  sym(api_->name, "nvmlDeviceGetName");
  sym(api_->field_values, "nvmlDeviceGetFieldValues");
  sym(api_->power_usage, "nvmlDeviceGetPowerUsage");
  sym(api_->energy, "nvmlDeviceGetTotalEnergyConsumption");
  sym(api_->temperature, "nvmlDeviceGetTemperature");
  sym(api_->clock, "nvmlDeviceGetClockInfo");
  if (!sym(api_->reasons, "nvmlDeviceGetCurrentClocksEventReasons")) sym(api_->reasons, "nvmlDeviceGetCurrentClocksThrottleReasons");
  sym(api_->enforced_limit, "nvmlDeviceGetEnforcedPowerLimit");
  sym(api_->set_limit, "nvmlDeviceSetPowerManagementLimit");
  const nvmlReturn_t r = api_->init();
  if (r != NVML_SUCCESS) {
    error_ = "NVML initialisation failed: " + api_->err(r) + ": check the NVIDIA driver is loaded (`nvidia-smi`)";
    return;
  }
  ok_ = true;
}

Nvml::~Nvml() {
  if (ok_ && api_->shutdown) api_->shutdown();
  if (lib_) dlclose(lib_);
}

std::string Nvml::device_name(unsigned index) {
  nvmlDevice_t d = nullptr;
  char buf[96] = "";
  if (!ok_ || !api_->name || api_->handle(index, &d) != NVML_SUCCESS || api_->name(d, buf, sizeof buf) != NVML_SUCCESS) return "";
  return buf;
}

double Nvml::power_limit_w(unsigned index) {
  nvmlDevice_t d = nullptr;
  unsigned mw = 0;
  if (!ok_ || !api_->enforced_limit || api_->handle(index, &d) != NVML_SUCCESS || api_->enforced_limit(d, &mw) != NVML_SUCCESS)
    return std::numeric_limits<double>::quiet_NaN();
  return mw / 1000.0;
}

std::string Nvml::set_power_limit_w(unsigned index, double watts) {
  if (!ok_) return error_;
  nvmlDevice_t d = nullptr;
  nvmlReturn_t r = api_->handle(index, &d);
  if (r != NVML_SUCCESS) return "no NVML device " + std::to_string(index) + ": " + api_->err(r);
  if (!api_->set_limit) return "this NVML lacks nvmlDeviceSetPowerManagementLimit";
  r = api_->set_limit(d, static_cast<unsigned>(std::lround(watts * 1000.0)));
  if (r != NVML_SUCCESS)
    return "cannot set the power limit to " + std::to_string(watts) + " W: " + api_->err(r) +
           " (needs root, and a value within `nvidia-smi -q -d POWER` min/max limits)";
  return "";
}

Nvml::Reading Nvml::read(unsigned index) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Reading x{nan, nan, nan, nan, nan, nan, 0, false, false, false, false};
  nvmlDevice_t d = nullptr;
  if (!ok_ || api_->handle(index, &d) != NVML_SUCCESS) return x;
  if (api_->field_values) {
    nvmlFieldValue_t v[2] = {};
    v[0].fieldId = NVML_FI_DEV_POWER_INSTANT;
    v[1].fieldId = NVML_FI_DEV_POWER_AVERAGE;
    if (api_->field_values(d, 2, v) == NVML_SUCCESS) {
      if (v[0].nvmlReturn == NVML_SUCCESS) x.power_w = field_value(v[0]) / 1000.0, x.has_instant = !std::isnan(x.power_w);
      if (v[1].nvmlReturn == NVML_SUCCESS) x.power_avg_w = field_value(v[1]) / 1000.0, x.has_avg = !std::isnan(x.power_avg_w);
    }
  }
  unsigned u = 0;
  if (!x.has_avg && api_->power_usage && api_->power_usage(d, &u) == NVML_SUCCESS) x.power_avg_w = u / 1000.0, x.has_avg = true;
  unsigned long long e = 0;
  if (api_->energy && api_->energy(d, &e) == NVML_SUCCESS) x.energy_j = static_cast<double>(e) / 1000.0, x.has_energy = true;
  if (api_->temperature && api_->temperature(d, NVML_TEMPERATURE_GPU, &u) == NVML_SUCCESS) x.temperature_c = u;
  if (api_->clock && api_->clock(d, NVML_CLOCK_SM, &u) == NVML_SUCCESS) x.sm_clock_mhz = u;
  if (api_->enforced_limit && api_->enforced_limit(d, &u) == NVML_SUCCESS) x.power_limit_w = u / 1000.0;
  if (api_->reasons && api_->reasons(d, &e) == NVML_SUCCESS) x.throttle_reasons = e, x.has_throttle = true;
  return x;
}

PowerSampler::PowerSampler(Nvml& nvml, unsigned index, double hz, std::chrono::steady_clock::time_point origin)
    : nvml_(nvml), index_(index), hz_(hz > 0 ? hz : 50.0), origin_(origin) {
  series_.gpu = static_cast<int>(index);
}

PowerSampler::~PowerSampler() {
  if (running_) stop();
}

void PowerSampler::start() {
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void PowerSampler::loop() {
  using namespace std::chrono;
  const auto period = duration_cast<steady_clock::duration>(duration<double>(1.0 / hz_));
  auto next = steady_clock::now();
  while (running_) {
    const Nvml::Reading r = nvml_.read(index_);
    const double t = duration<double>(steady_clock::now() - origin_).count();
    GpuSeries& s = series_;
    s.t_s.push_back(t);
    s.power_w.push_back(r.power_w);
    s.power_avg_w.push_back(r.power_avg_w);
    s.energy_j.push_back(r.energy_j);
    s.temperature_c.push_back(r.temperature_c);
    s.sm_clock_mhz.push_back(r.sm_clock_mhz);
    s.power_limit_w.push_back(r.power_limit_w);
    s.throttle_reasons.push_back(r.throttle_reasons);
    s.has_throttle = s.has_throttle || r.has_throttle;
    next += period;
    std::this_thread::sleep_until(next);
  }
}

GpuSeries PowerSampler::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  GpuSeries s = std::move(series_);
  // A field is kept only when every sample has it (the trace format's rule); else it is dropped.
  auto all = [](const std::vector<double>& v) {
    if (v.empty()) return false;
    for (double x : v)
      if (std::isnan(x)) return false;
    return true;
  };
  auto keep = [&](std::vector<double>& v, bool& has) {
    has = all(v);
    if (!has)
      for (double& x : v) x = std::numeric_limits<double>::quiet_NaN();
  };
  keep(s.power_w, s.has_power);
  keep(s.power_avg_w, s.has_power_avg);
  keep(s.energy_j, s.has_energy);
  keep(s.temperature_c, s.has_temperature);
  keep(s.sm_clock_mhz, s.has_sm_clock);
  keep(s.power_limit_w, s.has_power_limit);
  return s;
}

}  // namespace dctwin::gpu
