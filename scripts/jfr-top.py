#!/usr/bin/env python3
"""Where the CPU goes, from a JFR recording: the methods (or packages) with the most execution
samples, counted once per sample in which they are on the stack (inclusive) and at the top (self),
and the threads that ran them.

Usage: scripts/jfr-top.py RECORDING.jfr [--top N] [--match TEXT] [--packages] [--after SECONDS]
  --match TEXT  only samples whose stack holds a frame containing TEXT
  --after S     only samples taken S seconds or more after the recording's first (the steady
                state of a long run, once the JIT has compiled what is hot)
  --packages    group frames by package (the first three parts of the class name)
A recording: java -XX:StartFlightRecording=filename=run.jfr,settings=profile -jar target/dsc650.jar …
"""
import collections, re, subprocess, sys

args = sys.argv[1:]
recording = args[0]
top = int(args[args.index("--top") + 1]) if "--top" in args else 40
match = args[args.index("--match") + 1] if "--match" in args else None
packages = "--packages" in args
after = float(args[args.index("--after") + 1]) if "--after" in args else None

text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256",
                       recording], capture_output=True, text=True, check=True).stdout

FRAME = re.compile(r"^\s+([\w$.<>/]+)\(.*\)\s+line:")
THREAD = re.compile(r'sampledThread = "([^"]*)"')
START = re.compile(r"startTime = (\d+):(\d+):(\d+)\.(\d+)")
samples = []  # (thread, [frames, top first], seconds since midnight)
thread, frames, in_stack, when = None, [], False, None
for line in text.splitlines():
    if line.startswith("jdk.ExecutionSample"):
        thread, frames, in_stack, when = None, [], False, None
    elif (m := START.search(line)):
        h, mi, se, frac = m.groups()
        when = int(h) * 3600 + int(mi) * 60 + int(se) + float("0." + frac)
    elif (m := THREAD.search(line)):
        thread = re.sub(r"\d+", "N", m.group(1))
    elif "stackTrace = [" in line:
        in_stack = True
    elif in_stack and (m := FRAME.match(line)):
        name = m.group(1)
        if packages:
            name = ".".join(name.split(".")[:3])
        frames.append(name)
    elif in_stack and line.strip() == "]":
        in_stack = False
        samples.append((thread, frames, when))

if after is not None and samples:
    first = min(s[2] for s in samples if s[2] is not None)
    # a recording that runs past midnight: a clock reading below the first is the next day's
    samples = [s for s in samples if s[2] is not None and (s[2] - first) % 86400 >= after]
if match:
    samples = [s for s in samples if any(match in f for f in s[1])]
total = len(samples)
inclusive, self_, threads = collections.Counter(), collections.Counter(), collections.Counter()
for thread, frames, _ in samples:
    threads[thread] += 1
    for f in set(frames):
        inclusive[f] += 1
    if frames:
        self_[frames[0]] += 1

print(f"{total} samples" + (f" with '{match}' on the stack" if match else ""))
print("\nthreads:")
for t, n in threads.most_common(12):
    print(f"  {100 * n / total:5.1f} %  {t}")
print("\ninclusive (on the stack):")
for f, n in inclusive.most_common(top):
    print(f"  {100 * n / total:5.1f} %  {f}")
print("\nself (at the top):")
for f, n in self_.most_common(top // 2):
    print(f"  {100 * n / total:5.1f} %  {f}")
