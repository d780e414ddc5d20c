"""Sixel encoding for inline pictures: why each row of cells is encoded once, in a thread.

For a picture 100 cells wide and 20 high at 10 x 20 pixels a cell (1000 x 400 pixels, a
band of the photograph of bench/images.py), prints and writes to
bench/results/sixel_rows.json:

- textual-image's ``image_to_sixels`` for the whole picture and for its lower half (what
  encoding the visible crop anew would cost at each line of scrolling);
- ``encode_rows`` (one palette, one Sixel image a row of cells), in all and per row;
- ``place_sixels`` for the picture half on screen (what each drawing of the body costs once
  the rows are encoded), and the bytes sent for the whole picture both ways.

Times are wall and CPU (process_time) in milliseconds, the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def best(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from images import make_jpeg
    from PIL import Image
    from textual.geometry import Region
    from textual.strip import Strip
    from textual_image._sixel import image_to_sixels

    from newsreader.tui.widgets.sixel_rows import encode_rows, place_sixels

    # A band of the photograph, 2000 x 800, fitted to 1000 x 400: 100 x 20 cells.
    photo = Image.open(io.BytesIO(make_jpeg(0))).convert("RGB").crop((0, 350, 2000, 1150))
    photo.thumbnail((1000, 400))
    columns, rows, cell = 100, 20, (10, 20)
    half = photo.crop((0, photo.height // 2, photo.width, photo.height))
    results: dict[str, Any] = {"picture": list(photo.size), "cell": list(cell)}
    whole: list[str] = []
    results["image_to_sixels_whole"] = best(
        lambda: whole.append(image_to_sixels(photo)), args.repeat
    )
    results["image_to_sixels_half"] = best(lambda: image_to_sixels(half), args.repeat)
    encoded = []
    results["encode_rows"] = best(
        lambda: encoded.append(encode_rows(photo, columns, rows, cell)), args.repeat
    )
    picture = encoded[-1]
    assert picture is not None
    count = len(picture.rows)
    results["rows"] = count
    wall, cpu = results["encode_rows"]
    results["encode_rows_per_row"] = (wall / count, cpu / count)
    strips = [Strip([]) for _ in range(30)]
    crop = Region(0, count // 2, 120, 30)
    results["place_sixels_half_visible"] = best(
        lambda: place_sixels(strips, crop, [(0, picture)], (0, 0)), max(args.repeat, 20)
    )
    results["bytes_whole_one_image"] = len(whole[-1])
    results["bytes_whole_by_rows"] = sum(len(row) for row in picture.rows)

    for name, value in results.items():
        timed = isinstance(value, tuple | list) and bool(value) and isinstance(value[0], float)
        if timed:
            print(f"{name:<28} wall {value[0]:8.2f} ms   CPU {value[1]:8.2f} ms")
        else:
            print(f"{name:<28} {value}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "sixel_rows.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
