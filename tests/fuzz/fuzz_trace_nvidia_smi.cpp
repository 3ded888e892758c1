// libFuzzer harness: the trace importer, format NvidiaSmi (see fuzz_trace.inc). Seeds: corpus/trace_nvidia_smi/.
#define DCTWIN_FUZZ_FORMAT dctwin::gpu::TraceFormat::NvidiaSmi
#include "fuzz_trace.inc"
