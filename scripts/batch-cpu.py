#!/usr/bin/env python3
"""CPU per micro-batch of a live run-query, over the replay's wall-clock window.

Reads replay.json (the window: start .. start + wall_seconds), the run-query process's CPU samples
(lines "EPOCH_SECONDS CPU_TICKS FORKS JIT_TICKS" taken by the bench: CPU_TICKS = utime + stime from
/proc/PID/stat, FORKS = processes started on the machine, from /proc/stat, JIT_TICKS = the JIT
compiler threads' part of CPU_TICKS)
and run-query's progress lines (progress/<query>/*.jsonl: Spark's StreamingQueryProgress). Prints
the cores the process used in the window, the micro-batches each query ran in it (with data, and
without: those that only move the watermark or end the stream), the CPU-ms per micro-batch, and
the median of each phase of Spark's durationMs.

Usage: scripts/batch-cpu.py RESULTS SAMPLES
"""
import glob, json, os, statistics, sys
from datetime import datetime

root, samples_file = sys.argv[1], sys.argv[2]
TICKS = os.sysconf("SC_CLK_TCK")


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


replay = json.load(open(os.path.join(root, "replay.json")))
start = instant(replay["start"])
end = start + float(replay["wall_seconds"])

samples = []
for text in open(samples_file):
    parts = text.split()
    if len(parts) >= 2:
        samples.append((float(parts[0]), int(parts[1]) / TICKS, int(parts[2]) if len(parts) > 2 else 0,
                        int(parts[3]) / TICKS if len(parts) > 3 else 0.0))


def at(t, column):
    """A sampled counter (1: CPU seconds, 2: forks, 3: JIT compiler CPU seconds) at time t, linear
    between the samples around it."""
    before = [s for s in samples if s[0] <= t]
    after = [s for s in samples if s[0] >= t]
    if not before or not after:
        return None
    t0, c0, t1, c1 = before[-1][0], before[-1][column], after[0][0], after[0][column]
    return c0 if t1 == t0 else c0 + (c1 - c0) * (t - t0) / (t1 - t0)


batches = {}  # query -> [progress]
for f in sorted(glob.glob(os.path.join(root, "progress", "*", "*.jsonl"))):
    for text in open(f):
        if not text.endswith("\n"):
            continue
        p = json.loads(text)
        if start <= instant(p["timestamp"]) <= end:
            batches.setdefault(p["name"], {})[p["batchId"]] = p  # a re-run batch once

cpu0, cpu1 = at(start, 1), at(end, 1)
if cpu0 is None or cpu1 is None:
    print("  (no CPU samples cover the replay's window)")
    sys.exit(0)
cpu = cpu1 - cpu0
total = sum(len(b) for b in batches.values())
print(f"  run-query used {cpu / (end - start):.2f} cores over the replay's {end - start:.0f} s "
      f"({cpu:.1f} CPU-s); {total} micro-batches: "
      f"{1000 * cpu / max(total, 1):.0f} CPU-ms per micro-batch; "
      f"{(at(end, 2) - at(start, 2)) / max(total, 1):.0f} processes started on the machine per "
      f"micro-batch")
jit = at(end, 3) - at(start, 3)
print(f"    of which the JIT compiler's threads {jit / (end - start):.2f} cores ({jit:.1f} CPU-s); "
      f"the rest {1000 * (cpu - jit) / max(total, 1):.0f} CPU-ms per micro-batch")
# the replay's last third: the JIT has compiled most of what is hot by then
third = start + 2 * (end - start) / 3
late = sum(1 for b in batches.values() for p in b.values() if instant(p["timestamp"]) >= third)
cpu_late, jit_late = at(end, 1) - at(third, 1), at(end, 3) - at(third, 3)
print(f"    the replay's last third: {cpu_late / (end - third):.2f} cores "
      f"(JIT {jit_late / (end - third):.2f}), {late} micro-batches: "
      f"{1000 * cpu_late / max(late, 1):.0f} CPU-ms per micro-batch")
for name in sorted(batches):
    ps = list(batches[name].values())
    # Spark counts no input rows for a join of unions: the event-time stats say a batch had rows
    data = [p for p in ps if p.get("numInputRows", 0) > 0 or "max" in p.get("eventTime", {})]
    phases = {}
    for p in ps:
        for phase, ms in p.get("durationMs", {}).items():
            phases.setdefault(phase, []).append(ms)
    median = "  ".join(f"{k} {statistics.median(v):.0f}" for k, v in sorted(phases.items())
                       if k != "triggerExecution")
    trig = statistics.median(phases.get("triggerExecution", [0]))
    print(f"    {name:22s} {len(ps):4d} batches ({len(data)} with data); median ms: "
          f"trigger {trig:.0f} = {median}")
