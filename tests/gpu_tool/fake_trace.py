#!/usr/bin/env python3
"""TEST DOUBLE, not a measurement: writes a dctwin trace (gpu_runtime/README.md, "Trace formats")
of a made-up GPU with phase markers, first-order lags and 3 W noise, for tests/gpu_tool/run.sh, which
exercises gpu_runtime/calibrate_on_gpu.sh without a GPU. Usage: fake_trace.py OUT.csv traffic|idle"""
import math
import random
import sys

out, comm = sys.argv[1], sys.argv[2]
random.seed(1)
level_w = {"idle": 75.0, "compute": 640.0, "communication": 160.0 if comm == "traffic" else 110.0, "optimizer": 420.0}
duration_s = {"compute": 1.2, "communication": 0.4, "optimizer": 0.25}
markers = [(0.0, "idle", "")]
t, step = 5.0, 0
while t < 55:
    for phase in ("compute", "communication", "optimizer"):
        markers.append((t, phase, str(step)))
        t += duration_s[phase]
    step += 1
markers += [(t, "idle", ""), (60.0, "end", "")]


def target(tt):
    phase = "idle"
    for m in markers:
        if m[0] <= tt:
            phase = m[1]
    return level_w.get(phase, level_w["idle"])


rows = [(m[0], 0, f"marker,{m[0]:.4f},,,,,{m[1]},{m[2]}") for m in markers]
p, window = level_w["idle"], []
for k in range(1, 3000):
    tt = k * 0.02
    goal = target(tt)
    p += (goal - p) * (1 - math.exp(-0.02 / (0.05 if goal > p else 0.1)))
    window = (window + [p])[-50:]
    rows.append((tt, 1, f"sample,{tt:.4f},0,{p + random.gauss(0, 3):.2f},{sum(window) / len(window):.2f},700,,"))
with open(out, "w") as f:
    f.write("# dctwin-trace 1\n# average_window_s: 1\n# device: FAKE GPU (test double, not a measurement)\n")
    f.write("# synthetic: true\n# power_limit_w: 700\n# sample_hz: 50\n# gemm_bf16_tflops: 700.5\n# compute_phase_tflops: 610\n")
    f.write("record,t_s,gpu,power_w,power_avg_w,power_limit_w,phase,step\n")
    for row in sorted(rows, key=lambda r: (r[0], r[1])):
        f.write(row[2] + "\n")
