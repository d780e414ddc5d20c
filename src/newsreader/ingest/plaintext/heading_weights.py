"""Weights of the heading detector's features, written by ``bench/headings_fit.py``."""

WEIGHTS: dict[str, float] = {"bias": -1.0}
