// libFuzzer harness: the trace importer, format Dcgm (see fuzz_trace.inc). Seeds: corpus/trace_dcgm/.
#define DCTWIN_FUZZ_FORMAT dctwin::gpu::TraceFormat::Dcgm
#include "fuzz_trace.inc"
