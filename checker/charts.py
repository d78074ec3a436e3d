"""Inline SVG charts for the audit report, generated from data.

Readable on a grey-scale printout: every bar carries its value as text, and series
differ by pattern (solid, hatch, dots, cross-hatch, outline), not only by colour.
No JavaScript, no fonts or images from elsewhere.  Every label is escaped, since
vendor names come from the documents; ids are prefixed per chart so several SVGs
can share one HTML page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 960  # full text width of the report at 1:1; half-width charts pass width=470
FONT = "font-family='system-ui, -apple-system, Segoe UI, Roboto, sans-serif'"

# (fill colour, pattern) per style index; the colour is a tint that still reads in grey.
STYLES: tuple[tuple[str, str], ...] = (
    ("#7f1d1d", "solid"),  # critical
    ("#c2410c", "hatch"),  # high
    ("#a16207", "dots"),  # medium
    ("#1d4ed8", "cross"),  # low
    ("#6b7280", "outline"),  # info / neutral
    ("#1f4e79", "solid"),  # neutral series (money)
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    style: int = 5
    text: str | None = None  # the value as shown (default: the number)


def _defs(prefix: str) -> str:
    parts = []
    for i, (colour, kind) in enumerate(STYLES):
        pid = f"{prefix}-p{i}"
        if kind == "hatch":
            body = f"<rect width='6' height='6' fill='#fff'/><path d='M0,6 L6,0' stroke='{colour}' stroke-width='2.2'/>"
        elif kind == "dots":
            body = f"<rect width='6' height='6' fill='#fff'/><circle cx='3' cy='3' r='1.6' fill='{colour}'/>"
        elif kind == "cross":
            body = (
                f"<rect width='6' height='6' fill='#fff'/>"
                f"<path d='M0,0 L6,6 M6,0 L0,6' stroke='{colour}' stroke-width='1.1'/>"
            )
        else:
            continue
        parts.append(
            f"<pattern id='{pid}' width='6' height='6' patternUnits='userSpaceOnUse'>{body}</pattern>"
        )
    return f"<defs>{''.join(parts)}</defs>"


def _fill(prefix: str, style: int) -> str:
    colour, kind = STYLES[style % len(STYLES)]
    if kind == "solid":
        return f"fill='{colour}'"
    if kind == "outline":
        return f"fill='#fff' stroke='{colour}' stroke-width='1.5'"
    return f"fill='url(#{prefix}-p{style})' stroke='{colour}' stroke-width='1'"


def _svg(prefix: str, title: str, height: int, body: str, width: int = WIDTH) -> Markup:
    t = escape(title)
    return Markup(
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' viewBox='0 0 {width} {height}' "
        f"role='img' aria-labelledby='{prefix}-t' {FONT} font-size='13'>"
        f"<title id='{prefix}-t'>{t}</title>{_defs(prefix)}{body}</svg>"
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _text_px(text: str, size: float = 13) -> float:
    """Rough rendered width of ``text`` (no font metrics without a browser; errs wide)."""
    return len(text) * size * 0.62


def hbar(prefix: str, title: str, bars: Sequence[Bar], label_width: int = 200, width: int = WIDTH) -> Markup:
    """Horizontal bars, one per row: label on the left, the value as text after the bar."""
    row, top = 26, 8
    height = top * 2 + row * max(1, len(bars))
    texts = [b.text if b.text is not None else _number(b.value) for b in bars]
    span = width - label_width - max((_text_px(t) for t in texts), default=0) - 16
    peak = max((b.value for b in bars), default=0) or 1
    room = int(label_width / 7.5)
    out = []
    for n, (b, text) in enumerate(zip(bars, texts, strict=True)):
        y = top + n * row
        w = max(0.0, b.value / peak * span)
        label = escape(b.label if len(b.label) <= room else b.label[: room - 1] + "…")
        out.append(
            f"<text x='{label_width - 8}' y='{y + 17}' text-anchor='end' fill='#111'>{label}</text>"
            f"<rect x='{label_width}' y='{y + 4}' width='{w:.1f}' height='{row - 8}' {_fill(prefix, b.style)}/>"
            f"<text x='{label_width + w + 6:.1f}' y='{y + 17}' fill='#111' font-weight='600'>{escape(text)}</text>"
        )
    if not bars:
        out.append(f"<text x='{label_width}' y='{top + 17}' fill='#555'>nothing to show</text>")
    axis = f"<line x1='{label_width}' y1='{top}' x2='{label_width}' y2='{height - top}' stroke='#333'/>"
    return _svg(prefix, title, height, "".join(out) + axis, width)


def stacked_columns(
    prefix: str,
    title: str,
    columns: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[tuple[str, int]],
    width: int = WIDTH,
) -> Markup:
    """One column per period (e.g. year), stacked by series, total on top, legend below."""
    height, base, top, left = 300, 226, 24, 16
    slot = min(120.0, (width - 2 * left) / max(1, len(columns)))
    peak = max((sum(v) for _, v in columns), default=0) or 1
    out = [f"<line x1='{left}' y1='{base}' x2='{width - left}' y2='{base}' stroke='#333'/>"]
    start = left + (width - 2 * left - slot * len(columns)) / 2  # centre the columns
    for n, (label, values) in enumerate(columns):
        x, y, w = start + n * slot + slot * 0.2, float(base), slot * 0.5
        for (name, style), value in zip(series, values, strict=True):
            h = value / peak * (base - top - 18)
            if h <= 0:
                continue
            y -= h
            out.append(
                f"<rect x='{x:.1f}' y='{y:.1f}' width='{w:.1f}' height='{h:.1f}' {_fill(prefix, style)}>"
            )
            out.append(f"<title>{escape(label)}: {escape(name)} {_number(value)}</title></rect>")
            if h >= 14:
                out.append(
                    f"<text x='{x + w + 4:.1f}' y='{y + h / 2 + 4:.1f}' font-size='11' fill='#333'>{_number(value)}</text>"
                )
        out.append(
            f"<text x='{x + w / 2:.1f}' y='{y - 6:.1f}' text-anchor='middle' font-weight='700'>{_number(sum(values))}</text>"
            f"<text x='{x + w / 2:.1f}' y='{base + 18}' text-anchor='middle'>{escape(label)}</text>"
        )
    out.append(_legend(prefix, series, base + 48, left))
    return _svg(prefix, title, height, "".join(out), width)


def _legend(prefix: str, series: Sequence[tuple[str, int]], y: int, x: int = 16) -> str:
    out = []
    for name, style in series:
        out.append(
            f"<rect x='{x}' y='{y - 11}' width='14' height='14' {_fill(prefix, style)}/>"
            f"<text x='{x + 20}' y='{y}'>{escape(name)}</text>"
        )
        x += 30 + int(_text_px(name))
    return "".join(out)
