"""How figures are shown to people, the same in the terminal, in prose and in notes."""

from __future__ import annotations

__all__ = ["number", "percent"]


def number(value: float | None, blank: str = "—") -> str:
    """3092 → "3,092"; 121.5 → "121.5"; None → "—"."""
    if value is None:
        return blank
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(value: float | None, blank: str = "—") -> str:
    """0.5129 → "51.29%" (two decimals, as the evaluators write)."""
    if value is None:
        return blank
    return f"{value:.2%}"
