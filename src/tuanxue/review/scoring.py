"""Aggregating score sheets: the trimmed mean and the grade. Pure functions, no database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


def trimmed_mean(values: list[int], trim_from: int = 5) -> tuple[Decimal, bool]:
    """The mean of ``values``; with at least ``trim_from`` values the highest and the lowest
    one are dropped first. Returns (mean rounded to 0.01, whether it was trimmed)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    trimmed = len(ordered) >= trim_from
    if trimmed:
        ordered = ordered[1:-1]
    mean = Decimal(sum(ordered)) / Decimal(len(ordered))
    return mean.quantize(HUNDREDTH, rounding=ROUND_HALF_UP), trimmed


def grade_for(score: Decimal, thresholds: dict[str, int]) -> str:
    """优秀 / 良好 / 合格 / 不合格 by the charter's lower bounds."""
    if score >= thresholds["excellent"]:
        return "excellent"
    if score >= thresholds["good"]:
        return "good"
    if score >= thresholds["pass"]:
        return "pass"
    return "fail"


def aggregate(
    sheets: list[dict[str, int]], dimensions: tuple[str, ...], trim_from: int
) -> tuple[dict[str, str], Decimal, bool]:
    """Per dimension the trimmed mean of the sheets; overall the trimmed mean of each sheet's
    own mean over the dimensions (so one member's sheet is dropped or kept whole)."""
    per_dimension = {}
    trimmed = False
    for d in dimensions:
        mean, trimmed = trimmed_mean([s[d] for s in sheets], trim_from)
        per_dimension[d] = str(mean)
    totals = [sum(s[d] for d in dimensions) for s in sheets]
    total_mean, trimmed = trimmed_mean(totals, trim_from)
    overall = (total_mean / len(dimensions)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return per_dimension, overall, trimmed
