"""The icon drawings as SVG text: one source for the committed files and the runtime fallback.

Each state has its own colour *and* shape/glyph (check, arrows, triangle, cross, bars),
so the state reads at 16 px and for colour-blind owners too. No Qt here.
"""

from __future__ import annotations

import math

STATE_COLOURS = {
    "ok": "#2E9E48",  # green
    "syncing": "#1E7FD8",  # blue
    "warning": "#F2A516",  # amber
    "error": "#D93A32",  # red
    "paused": "#8A8F98",  # grey
}
STATES = tuple(STATE_COLOURS)

_WHITE = "#FFFFFF"
_RING = 'stroke="#00000033" stroke-width="2"'


def _svg(body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">{body}</svg>\n'


def _disc(colour: str) -> str:
    return f'<circle cx="32" cy="32" r="29.5" fill="{colour}" {_RING}/>'


def _stroke(d: str, width: float = 7.5, colour: str = _WHITE) -> str:
    return (f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
            'stroke-linecap="round" stroke-linejoin="round"/>')


def _arc_with_head(start_deg: float, end_deg: float, radius: float = 15.0, width: float = 6.0) -> str:
    """A clockwise arc around the centre ending in a filled arrowhead."""
    cx = cy = 32.0

    def point(deg: float, r: float = radius) -> tuple[float, float]:
        t = math.radians(deg)
        return cx + r * math.cos(t), cy + r * math.sin(t)

    (x0, y0), (x1, y1) = point(start_deg), point(end_deg - 14)
    arc = f"M{x0:.2f} {y0:.2f} A{radius} {radius} 0 0 1 {x1:.2f} {y1:.2f}"
    tip = point(end_deg)
    # the head: tip on the circle, base back along the arc, spread across the radius
    back = math.radians(end_deg - 22)
    inner = (cx + (radius - 6.5) * math.cos(back), cy + (radius - 6.5) * math.sin(back))
    outer = (cx + (radius + 6.5) * math.cos(back), cy + (radius + 6.5) * math.sin(back))
    head = (f'<path d="M{tip[0]:.2f} {tip[1]:.2f} L{outer[0]:.2f} {outer[1]:.2f} '
            f'L{inner[0]:.2f} {inner[1]:.2f} Z" fill="{_WHITE}" stroke="{_WHITE}" stroke-width="1.5" '
            'stroke-linejoin="round"/>')
    return _stroke(arc, width) + head


def state_svg(state: str) -> str:
    colour = STATE_COLOURS[state]
    if state == "ok":
        return _svg(_disc(colour) + _stroke("M18.5 33.5 L28 43 L46 23"))
    if state == "syncing":
        return _svg(_disc(colour) + _arc_with_head(195, 345) + _arc_with_head(15, 165))
    if state == "warning":
        triangle = (f'<path d="M32 6.5 L59 54.5 L5 54.5 Z" fill="{colour}" stroke="{colour}" '
                    'stroke-width="7" stroke-linejoin="round"/>'
                    '<path d="M32 3 L62.5 57.5 L1.5 57.5 Z" fill="none" stroke="#00000026" stroke-width="1.5" '
                    'stroke-linejoin="round"/>')
        glyph = _stroke("M32 22 L32 38", 7.5, "#3A2A05") + '<circle cx="32" cy="48" r="4.3" fill="#3A2A05"/>'
        return _svg(triangle + glyph)
    if state == "error":
        return _svg(_disc(colour) + _stroke("M22.5 22.5 L41.5 41.5 M41.5 22.5 L22.5 41.5"))
    if state == "paused":
        bars = (f'<rect x="21" y="19" width="8" height="26" rx="2.5" fill="{_WHITE}"/>'
                f'<rect x="35" y="19" width="8" height="26" rx="2.5" fill="{_WHITE}"/>')
        return _svg(_disc(colour) + bars)
    raise ValueError(f"unknown state {state!r}")


def app_svg() -> str:
    """The application icon: Kaspi red flowing into amoCRM blue, one bold arrow."""
    gradient = ('<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
                '<stop offset="0" stop-color="#F14635"/><stop offset="1" stop-color="#2B6CD9"/>'
                '</linearGradient></defs>')
    card = '<rect x="3" y="3" width="58" height="58" rx="14" fill="url(#g)"/>'
    slip = ('<rect x="11" y="17" width="17" height="23" rx="3" fill="#FFFFFF" opacity="0.95"/>'
            '<path d="M15 24 H24 M15 29 H24 M15 34 H21" stroke="#E2574C" stroke-width="2.4" stroke-linecap="round"/>')
    arrow = _stroke("M31 42 H47", 6.5) + ('<path d="M44 33.5 L53.5 42 L44 50.5 Z" fill="#FFFFFF" stroke="#FFFFFF" '
                                          'stroke-width="2" stroke-linejoin="round"/>')
    deal = '<circle cx="45" cy="22" r="8" fill="#FFFFFF"/>' + _stroke("M41 22.2 L44 25.2 L49.5 19.2", 2.8, "#2B6CD9")
    return _svg(gradient + card + slip + arrow + deal)
