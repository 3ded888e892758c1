// libFuzzer harness: the trace importer, format Auto (see fuzz_trace.inc). Seeds: corpus/trace_auto/.
#define DCTWIN_FUZZ_FORMAT dctwin::gpu::TraceFormat::Auto
#include "fuzz_trace.inc"
