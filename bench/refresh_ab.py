"""Two versions of newsreader's first refresh, alternating, on the workloads of refresh.py.

For judging a change on a busy machine: both run in turn under the same load, and the CPU
of each process (less sensitive to load than wall time) is compared. ``--before`` is the
``src`` folder of another checkout (e.g. ``git archive REV src | tar -x -C /tmp/before``).

Usage: .venv/bin/python bench/refresh_ab.py --before /tmp/before/src [--rounds 3]
       [--workloads synthetic,genfeeds,corpus]
Results are printed and written to bench/results/refresh_ab.txt.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refresh import RESULTS, ROOT, describe_cpu, prepare, run_newsreader


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--workloads", default="synthetic,genfeeds,corpus")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": ROOT / "src"}
    for tree in trees.values():
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], check=True)
    lines = [f"first refresh, before ({trees['before']}) and after ({trees['after']})"]
    with tempfile.TemporaryDirectory(prefix="nr-ab-") as tmp:
        for name in args.workloads.split(","):
            served = prepare(name, Path(tmp) / name / "feeds", args.latency)
            urls = [f"{served.base}/{path.name}" for path in sorted(served.folder.iterdir())]
            runs: dict[str, list[tuple[float, dict[str, float]]]] = {k: [] for k in trees}
            load = os.getloadavg()[0]
            try:
                for number in range(args.rounds):
                    order = list(trees) if number % 2 == 0 else list(reversed(trees))
                    for label in order:
                        os.environ["PYTHONPATH"] = str(trees[label])
                        first = run_newsreader(urls, Path(tmp) / name / f"{label}{number}")[0]
                        runs[label].append((first[0], first[1]))
            finally:
                os.environ.pop("PYTHONPATH", None)
                served.stop()
            lines.append(f"== {name}, load average {load:.2f} at the start")
            for label, found in runs.items():
                walls = ", ".join(f"{wall:.2f}" for wall, _ in found)
                lines.append(
                    f"  {label:6s} wall {statistics.median(w for w, _ in found):.2f} s "
                    f"({walls}); CPU {describe_cpu([cpu for _, cpu in found])}"
                )
            print("\n".join(lines[-3:]), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "refresh_ab.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
