"""Tuanxue (团学): runs a reformed college student union by its charter."""

__version__ = "0.1.0"
