"""Plain text → Markdown speed: 1 MB of real articles, as saved and as pasted.

Usage: ``python bench/headings_speed.py [--runs 5] [--megabytes 1]``

The corpus's plain-text articles (``corpus/plaintext/`` and ``plaintext-extra/``) are
repeated until the text reaches the size asked for, in each shape; the best and median of
``--runs`` conversions are printed and written to ``bench/results/headings_speed.txt``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from newsreader.ingest.plaintext import plain_text_to_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results" / "headings_speed.txt"


def _texts() -> list[str]:
    files = sorted((CORPUS / "plaintext").glob("*.txt")) + sorted(
        (CORPUS / "plaintext-extra").glob("*.txt")
    )
    return [p.read_text(encoding="utf-8") for p in files if not p.name.endswith(".headings.txt")]


def _pasted(text: str) -> str:
    return "\n".join(line for line in text.splitlines()[1:] if line.strip()) + "\n"


def _build(texts: list[str], size: int) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        for text in texts:
            parts.append(text)
            total += len(text.encode("utf-8"))
            if total >= size:
                break
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    texts = _texts()
    if not texts:
        raise SystemExit(f"no corpus texts under {CORPUS}")
    size = int(args.megabytes * 1_000_000)
    lines = []
    for shape, make in (("saved", lambda t: t), ("pasted", _pasted)):
        text = _build([make(t) for t in texts], size)
        timings = []
        cpu = []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            document = plain_text_to_document(text)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        lines.append(
            f"{shape:<7} {len(text.encode('utf-8')) / 1e6:.2f} MB  best {min(timings):.3f} s  "
            f"median {statistics.median(timings):.3f} s  (CPU best {min(cpu):.3f} s, "
            f"median {statistics.median(cpu):.3f} s; {len(document.headings)} headings)"
        )
    report = "\n".join(lines)
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
