"""Small SVG charts (bar, line, pie) for the report documents: real vector charts, text in the CJK font.

Pure: values in, an SVG string out. WeasyPrint draws them into the PDF; the report page shows them too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

FONT = "Noto Sans CJK SC, Noto Sans CJK, WenQuanYi Zen Hei, sans-serif"
PALETTE = ("#2f6fb3", "#e07b39", "#3a9d5d", "#c0392b", "#8e6bbf", "#7f8c8d", "#d4a017", "#16a085")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def _axis_max(values: Sequence[float | None]) -> float:
    """The top of the value axis (drawn with 4 steps): whole counts get whole-number ticks (0, 2, 4, 6, 8 — not
    1.25, 2.5, 3.75), other values the nicest round top."""
    peak = max([v or 0 for v in values] or [0])
    if not all(float(v or 0).is_integer() for v in values):
        return _nice_max(peak)
    exp = 1
    while True:  # steps 1, 2, 5, 10, 20, 25, 50, 100, …: each a whole number
        for m in (1, 2, 2.5, 5):
            step = m * exp
            if float(step).is_integer() and 4 * step >= peak:
                return 4.0 * step
        exp *= 10


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.1f}"


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(f'<rect x="{x + i * 120:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{PALETTE[i % 8]}"/>'
                   f'<text x="{x + i * 120 + 14:.1f}" y="{y:.1f}" font-size="10">{escape(name)}</text>')
    return out


def _short(text: str, n: int = 10) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, width: int = 640,
        height: int = 260) -> str:
    """A grouped bar chart: one group per label, one bar per series."""
    left, right, top, bottom = 52, 12, 24, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _axis_max([v for _, vals in series for v in vals])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" class="chart chart-bar">']
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 3:.1f}" font-size="9" text-anchor="end">{_fmt(peak * i / 4)}</text>')
    n = max(1, len(labels))
    group = plot_w / n
    bar_w = max(2.0, min(28.0, group * 0.8 / max(1, len(series))))
    for gi, label in enumerate(labels):
        x0 = left + gi * group + (group - bar_w * len(series)) / 2
        for si, (_name, values) in enumerate(series):
            v = values[gi] or 0
            h = plot_h * v / peak
            parts.append(f'<rect x="{x0 + si * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                         f'height="{h:.1f}" fill="{PALETTE[si % 8]}"><title>{escape(label)}: {_fmt(v)}</title></rect>')
            if len(series) == 1 and n <= 16 and v:
                parts.append(f'<text x="{x0 + bar_w / 2:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="9" '
                             f'text-anchor="middle">{_fmt(v)}</text>')
        cx = left + gi * group + group / 2
        parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 12}" font-size="9" text-anchor="end" '
                     f'transform="rotate(-30 {cx:.1f} {top + plot_h + 12})">{escape(_short(label))}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#555"/>')
    if len(series) > 1:
        parts.extend(_legend([s[0] for s in series], left, 12))
    parts.append("</svg>")
    return "".join(parts)


def line(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, width: int = 640,
         height: int = 240) -> str:
    """A line chart over ordered labels (days, weeks, months)."""
    left, right, top, bottom = 52, 12, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _axis_max([v for _, vals in series for v in vals])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" class="chart chart-line">']
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 3:.1f}" font-size="9" text-anchor="end">{_fmt(peak * i / 4)}</text>')
    n = len(labels)
    step = plot_w / max(1, n - 1)
    every = max(1, math.ceil(n / 10))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            x = left + i * step
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" font-size="9" text-anchor="middle">'
                         f'{escape(label[5:] if len(label) == 10 else label)}</text>')
    for si, (_name, values) in enumerate(series):
        points = " ".join(f"{left + i * step:.1f},{top + plot_h - plot_h * (v or 0) / peak:.1f}"
                          for i, v in enumerate(values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{PALETTE[si % 8]}" stroke-width="1.8"/>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#555"/>')
    parts.extend(_legend([s[0] for s in series], left, 12))
    parts.append("</svg>")
    return "".join(parts)


def pie(labels: Sequence[str], values: Sequence[float], *, width: int = 640, height: int = 220) -> str:
    """A donut chart with a legend."""
    total = sum(v for v in values if v) or 1
    cx, cy, r, inner = 110, height / 2, 90, 48
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" class="chart chart-pie">']
    angle = -math.pi / 2
    for i, v in enumerate(values):
        if not v:
            continue
        sweep = 2 * math.pi * v / total
        if sweep >= 2 * math.pi - 1e-6:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{(r + inner) / 2}" fill="none" stroke="{PALETTE[i % 8]}" '
                         f'stroke-width="{r - inner}"/>')
        else:
            a2 = angle + sweep
            large = 1 if sweep > math.pi else 0
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(a2), cy + r * math.sin(a2)
            x3, y3 = cx + inner * math.cos(a2), cy + inner * math.sin(a2)
            x4, y4 = cx + inner * math.cos(angle), cy + inner * math.sin(angle)
            parts.append(f'<path d="M{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f} L{x3:.1f},{y3:.1f} '
                         f'A{inner},{inner} 0 {large} 0 {x4:.1f},{y4:.1f} Z" fill="{PALETTE[i % 8]}"/>')
        angle += sweep
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        y = 24 + i * 18
        parts.append(f'<rect x="240" y="{y - 10}" width="10" height="10" fill="{PALETTE[i % 8]}"/>'
                     f'<text x="256" y="{y}" font-size="10">{escape(label)}  {_fmt(v or 0)} '
                     f'({100 * (v or 0) / total:.1f}%)</text>')
    parts.append("</svg>")
    return "".join(parts)
