"""Small SVG charts drawn by hand: a line chart of series over periods, and horizontal bars."""

from __future__ import annotations

from decimal import Decimal
from html import escape

COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 760, 360, 80, 50, 40, 150


def line_chart(title: str, labels: list[str], series: dict[str, list[Decimal]]) -> str:
    """An SVG line chart of ``series`` over ``labels``."""
    values = [v for points in series.values() for v in points] or [Decimal(0)]
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(1))
    span = high - low or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def y(v: Decimal) -> float:
        return TOP + plot_h - float((v - low) / span) * plot_h

    parts = [
        _head(title),
        f'<line x1="{LEFT}" y1="{y(Decimal(0)):.1f}" x2="{LEFT + plot_w}" y2="{y(Decimal(0)):.1f}" stroke="#999"/>',
    ]
    for tick in range(5):
        value = low + span * tick / 4
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11">{value:,.0f}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    for n, (name, points) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        path = " ".join(f"{LEFT + i * step:.1f},{y(v):.1f}" for i, v in enumerate(points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        parts.append(
            f'<text x="{WIDTH - RIGHT + 12}" y="{TOP + 16 * n + 10}" fill="{colour}" '
            f'font-size="12">{escape(name)}</text>'
        )
    return "".join(parts) + "</svg>"


def bar_chart(title: str, bars: list[tuple[str, Decimal]]) -> str:
    """An SVG chart of horizontal bars, one per (label, value)."""
    height = TOP + BOTTOM + 26 * max(len(bars), 1)
    top = max((v for _, v in bars), default=Decimal(1)) or Decimal(1)
    plot_w = WIDTH - 220 - 100
    parts = [_head(title, height)]
    for i, (label, value) in enumerate(bars):
        y = TOP + 26 * i
        w = max(float(value / top) * plot_w, 0.0)
        parts.append(f'<text x="210" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="220" y="{y + 3}" width="{w:.1f}" height="18" fill="{COLOURS[0]}"/>')
        parts.append(f'<text x="{226 + w:.1f}" y="{y + 16}" font-size="11">{value:,.2f}</text>')
    return "".join(parts) + "</svg>"


def _head(title: str, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif"><title>{escape(title)}</title>'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>'
    )
