"""Charts drawn on the server as SVG: readable without JavaScript, offline, and in black and white.

Each bar carries its number and its label in text, and categories differ by pattern (solid, hatched,
dotted …) as well as by colour, so a printout on a monochrome printer says everything the screen does.
Only presentation attributes are used (no style attribute): the Content-Security-Policy allows no
inline styles. Bottom layer: imports nothing of ours.
"""

import itertools
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
INK = "#1f2d3d"
# (fill colour, pattern drawing) — the drawing is in black/white terms, the colour only helps on screen.
PATTERNS = [
    ("#0b3d91", ""),  # solid
    ("#1565c0", '<path d="M0,8 L8,0" stroke="#ffffff" stroke-width="2"/>'),  # diagonal hatch
    ("#5c85c8", '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>'),  # dots
    ("#8a99ad", '<path d="M0,4 H8 M4,0 V8" stroke="#ffffff" stroke-width="1.5"/>'),  # grid
    ("#b71c1c", '<path d="M0,0 L8,8" stroke="#ffffff" stroke-width="2"/>'),  # reverse hatch
    ("#c6cfdb", '<path d="M0,2 H8 M0,6 H8" stroke="#1f2d3d" stroke-width="1"/>'),  # light with lines
]
_ids = itertools.count(1)

WIDTH = 640
BAR_HEIGHT = 22
GAP = 10
TOP = 8
VALUE_ROOM = 64
FONT_SIZE = 13


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # or a Decimal (amounts in 万元), shown as it is
    pattern: int = 0  # index into PATTERNS


def text_width(text, size=FONT_SIZE):
    """About how wide ``text`` is drawn: Chinese characters a full em, others a little over half."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else size * 0.6 for char in text)


def bar_chart(bars, *, title, unit="个", target=None, target_label="目标"):
    """A horizontal bar chart. ``target``: a value marked by a dashed line (the plan's target)."""
    chart_id = f"chart{next(_ids)}"
    label_room = min(260, max([text_width(bar.label) for bar in bars] + [40]) + 12)
    largest = float(max([bar.value for bar in bars] + [target or 0, 1]))
    value_room = max([VALUE_ROOM] + [text_width(f"{bar.value} {unit}") + 14 for bar in bars])  # "595.50 万元" fits too
    scale = (WIDTH - label_room - value_room) / largest
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP) + (22 if target else 0)
    used = sorted({bar.pattern for bar in bars})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title" font-family="{FONT}" font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title><defs>',
    ]
    for index in used:
        colour, drawing = PATTERNS[index % len(PATTERNS)]
        parts.append(
            f'<pattern id="{chart_id}-p{index}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{drawing}</pattern>'
        )
    parts.append("</defs>")
    for row, bar in enumerate(bars):
        y = TOP + row * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35
        width = round(float(bar.value) * scale, 1)
        parts.append(f'<text x="{label_room - 8}" y="{middle:.1f}" text-anchor="end" fill="{INK}">{escape(bar.label)}</text>')
        if width:
            parts.append(
                f'<rect x="{label_room}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="url(#{chart_id}-p{bar.pattern})" stroke="{INK}" stroke-width="0.8"/>'
            )
        parts.append(f'<text x="{label_room + width + 6}" y="{middle:.1f}" fill="{INK}" font-weight="bold">{bar.value} {escape(unit)}</text>')
    parts.append(f'<line x1="{label_room}" y1="{TOP - 4}" x2="{label_room}" y2="{TOP + len(bars) * (BAR_HEIGHT + GAP) - GAP + 4}" stroke="{INK}"/>')
    if target:
        x = label_room + target * scale
        bottom = TOP + len(bars) * (BAR_HEIGHT + GAP)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 15}" text-anchor="middle" fill="{INK}">{escape(target_label)} {target} {escape(unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
