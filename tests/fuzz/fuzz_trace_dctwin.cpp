// libFuzzer harness: the trace importer, format Dctwin (see fuzz_trace.inc). Seeds: corpus/trace_dctwin/.
#define DCTWIN_FUZZ_FORMAT dctwin::gpu::TraceFormat::Dctwin
#include "fuzz_trace.inc"
