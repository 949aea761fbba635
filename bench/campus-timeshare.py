#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Campus overhead with the host's swings taken out (issue 15, deliverable 11: presec <= 1.10x
the same scenario without presec).

  ./presec bench campus-timeshare [--terminals=N | --scenario=FILE] [--duration=S] [--repeats=R]
                                  [--slice=T] [--work=DIR] [--against=OTHER_BUILD_DIR]
  (runs bench/campus-timeshare.py BUILD_DIR ARGS...)

On a shared host the same run's wall time swings by a factor of two within an hour
(campus-growth, pinned: 13.1 to 30.1 s), far more than the difference to measure, and two runs
one after the other do not see the same host. Here both presec-bench-campus processes of a
repetition, one without and one with presec, run at the same time on one processor (the first
this script may use) and take turns: the one whose turn it is runs for T seconds (default 0.1)
while the other is stopped (SIGSTOP/SIGCONT), so both meet the host's slow and fast moments
alike, a slice at a time. When one finishes first, a copy of it (its figures unused) takes its
turns until the other ends, so the slower one never runs alone either. Each run's processor
time (the bench's own count, CLOCK_PROCESS_CPUTIME_ID over the run, setup included; time it was
stopped does not count) is the measure; per repetition ratio = presec / plain. A slice is long
against the caches' refill (tens of microseconds per switch).

With --against=OTHER_BUILD_DIR the two runs of a repetition are both with presec, one of the
other build ("before", e.g. a clean clone of the last commit) and one of this one ("after"),
and the ratio is after / before: a change to presec's per-packet work or memory layout measured
against its own baseline, which resolves a few per cent where two campus-timeshare runs, one per
build, do not (each ratio's own spread is about +-0.05).

Printed: a line per repetition (processor seconds, turns each took) and the summary: the
medians, the median ratio and its distribution-free confidence interval (as campus-growth).
Exit status 0 whatever the figures (a benchmark is no build failure); 2 on errors.
--scenario=FILE runs that scenario file instead of the generated campus (e.g. a cut of it, to
see whether a ratio depends on the scale). Defaults: 1,000 terminals, 20 simulated s, 5
repetitions, 0.1 s slices.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_stats import median_interval  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(message):
    print(f"campus-timeshare: {message}", file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    opts = {"terminals": "1000", "duration": "20", "repeats": "5", "slice": "0.1", "work": "",
            "against": "", "scenario": ""}
    for a in argv[1:]:
        key, eq, value = a.partition("=")
        if not key.startswith("--") or not eq or key[2:] not in opts:
            fail(f"unknown argument {a}")
        opts[key[2:]] = value
    try:
        repeats, slice_s = int(opts["repeats"]), float(opts["slice"])
        float(opts["duration"])
    except ValueError as e:
        fail(f"bad number: {e}")
    if repeats < 1 or not 0.001 <= slice_s <= 10:
        fail("--repeats is at least 1, --slice within [0.001, 10] s")
    return argv[0], opts, repeats, slice_s


class Run:
    """One presec-bench-campus process on the shared processor."""

    def __init__(self, side, scenario, duration, cpu, out):
        self.side = side
        self.label, bench, mode = side
        self.mode = mode
        self.turns = 0
        self.out = out
        sink = open(out, "w") if out else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [bench, f"--scenario={scenario}", f"--duration={duration}", f"--modes={mode}"],
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
        if out:
            sink.close()
        # It has run for the moment it took to get here; from now on it runs in its turns.
        self.stop()

    def signal(self, sig):
        try:
            self.proc.send_signal(sig)
        except ProcessLookupError:
            pass

    def stop(self):
        """Stops it and waits until the kernel says it has (a signal arrives when it does):
        two turns never overlap."""
        self.signal(signal.SIGSTOP)
        deadline = time.monotonic() + 5
        state = "?"
        while time.monotonic() < deadline:
            try:
                with open(f"/proc/{self.proc.pid}/stat") as f:
                    state = f.read().rpartition(")")[2].split()[0]
            except (FileNotFoundError, IndexError):
                return  # it has ended
            if state in "TtZX":
                return
            os.sched_yield()
        fail(f"the {self.label} run (pid {self.proc.pid}) does not stop (state {state})")

    def turn(self, seconds):
        """Runs it for its slice; returns True when it has ended."""
        self.turns += 1
        self.signal(signal.SIGCONT)
        try:
            self.proc.wait(timeout=seconds)
            return True
        except subprocess.TimeoutExpired:
            self.stop()
            return False

    def kill(self):
        if self.proc.poll() is None:
            self.signal(signal.SIGKILL)
            self.signal(signal.SIGCONT)
            self.proc.wait()


def processor_seconds(path, mode):
    text = open(path).read()
    m = re.search(r"processor time of the run: ([0-9.]+) s", text)
    allowed = re.search(r"; (\d+) processor\(s\) allowed", text)
    if not m or not allowed or not re.search(rf"^{mode} *:", text, re.M):
        fail(f"{path}: no {mode} run with its processor time:\n{text[-2000:]}")
    if allowed.group(1) != "1":
        fail(f"{path}: the run was not pinned ({allowed.group(1)} processors allowed)")
    return float(m.group(1))


def repetition(sides, scenario, duration, cpu, slice_s, work, r):
    """Both sides (label, bench, mode) in turns; returns {label: (processor s, turns)}."""
    measured = [Run(side, scenario, duration, cpu, os.path.join(work, f"run-{r}-{side[0]}.txt"))
                for side in sides]
    fillers = []
    try:
        slots = list(measured)  # what takes each turn: a measured run, or a filler of its mode
        done = set()
        k = 0
        while len(done) < len(measured):
            i = k % len(slots)
            k += 1
            if slots[i].turn(slice_s):
                if slots[i] in measured:
                    done.add(slots[i].label)
                    if slots[i].proc.returncode != 0:
                        fail(f"the {slots[i].label} run failed, status {slots[i].proc.returncode} "
                             f"(see {slots[i].out})")
                if len(done) < len(measured):
                    # The other still runs: a copy of this one keeps taking the turns.
                    slots[i] = Run(slots[i].side, scenario, duration, cpu, None)
                    fillers.append(slots[i])
    finally:
        for run in measured + fillers:
            run.kill()
    return {run.label: (processor_seconds(run.out, run.mode), run.turns) for run in measured}


def main():
    build_dir, opts, repeats, slice_s = parse_args(sys.argv[1:])
    bench = os.path.join(build_dir, "bin", "presec-bench-campus")
    if not os.access(bench, os.X_OK):
        fail(f"no {bench} (./presec build)")
    sides = [("plain", bench, "plain"), ("presec", bench, "presec")]
    what = "both modes"
    if opts["against"]:
        other = os.path.join(opts["against"], "bin", "presec-bench-campus")
        if not os.access(other, os.X_OK):
            fail(f"no {other} (--against names a build directory)")
        sides = [("before", other, "presec"), ("after", bench, "presec")]
        what = f"presec of {opts['against']} (before) and of {build_dir} (after)"
    (a, _, _), (b, _, _) = sides
    cpu = min(os.sched_getaffinity(0))
    work = opts["work"] or tempfile.mkdtemp(prefix="campus-timeshare-")
    os.makedirs(work, exist_ok=True)
    scenario = os.path.abspath(opts["scenario"])
    if opts["scenario"] and not os.path.isfile(scenario):
        fail(f"no scenario file {opts['scenario']}")
    if not opts["scenario"]:
        scenario = os.path.join(work, f"campus-{opts['terminals']}.xml")
        with open(scenario, "w") as f:
            if subprocess.call([sys.executable, os.path.join(HERE, "tools", "make-campus.py"),
                                f"--terminals={opts['terminals']}"], stdout=f) != 0:
                fail(f"make-campus.py --terminals={opts['terminals']} failed")
    name = os.path.basename(opts["scenario"]) if opts["scenario"] else f"campus-{opts['terminals']}"
    print(f"{name}, {opts['duration']} simulated s, {what} in turns of "
          f"{slice_s} s on processor {cpu}, {repeats} repetition(s), work {work}")
    print(f"{'rep':>3} {a + '_cpu_s':>11} {b + '_cpu_s':>12} {'ratio':>6} {a + '_turns':>11} "
          f"{b + '_turns':>12}")
    rows = []
    for r in range(1, repeats + 1):
        order = sides if r % 2 else sides[::-1]
        got = repetition(order, scenario, opts["duration"], cpu, slice_s, work, r)
        (p, pt), (s, st) = got[a], got[b]
        rows.append((p, s))
        print(f"{r:>3} {p:>11.3f} {s:>12.3f} {s / p:>6.3f} {pt:>11} {st:>12}", flush=True)
    ratios = [s / p for p, s in rows]
    lo, hi, cover = median_interval(ratios)
    print(f"{a}_cpu_s {statistics.median(p for p, _ in rows):.3f}  "
          f"{b}_cpu_s {statistics.median(s for _, s in rows):.3f}  "
          f"ratio {statistics.median(ratios):.3f}  interval [{lo:.3f}, {hi:.3f}] "
          f"cover {cover:.2f}  " + ("(after / before)" if opts["against"] else "(target <= 1.10)"))


if __name__ == "__main__":
    main()
