"""``{% icon "clock" %}``: small inline SVG icons that need no font on the viewer's machine.

Emoji and symbol characters render as empty boxes where no emoji font is installed; an inline
SVG draws the same everywhere and takes the colour of the text around it.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# 24×24 outline paths, drawn with the current text colour.
_PATHS = {
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "pin": '<path d="M12 21s-6-5.6-6-11a6 6 0 0 1 12 0c0 5.4-6 11-6 11z"/>'
    '<circle cx="12" cy="10" r="2.2"/>',
    "menu": '<path d="M4 7h16M4 12h16M4 17h16"/>',
    "check": '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
    "circle": '<circle cx="12" cy="12" r="7"/>',
    "star": '<path fill="currentColor" d="M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.8L12 16.8l-5.2 2.8 '
    '1-5.8-4.3-4.1 5.9-.8z"/>',
    "star-empty": '<path d="M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.8L12 16.8l-5.2 2.8 1-5.8-4.3-4.1 '
    '5.9-.8z"/>',
    "triangle": '<path fill="currentColor" d="M12 5l8 14H4z"/>',
    "thumb": '<path d="M7 11v9H4v-9zM7 11l4-7c1.5 0 2.5 1 2.2 2.6L12.6 10H19a1.6 1.6 0 0 1 1.6 '
    '1.9l-1.3 6.6A2 2 0 0 1 17.3 20H7"/>',
    "cross": '<path d="M6 6l12 12M18 6L6 18"/>',
}


@register.simple_tag
def icon(name: str, label: str = "") -> str:
    """An icon; with ``label`` it is announced to screen readers, otherwise it is decorative."""
    path = _PATHS[name]
    aria = format_html('role="img" aria-label="{}"', label) if label else 'aria-hidden="true"'
    return mark_safe(
        f'<svg class="icon" viewBox="0 0 24 24" width="1em" height="1em" fill="none" '
        f'stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round" {aria}>{path}</svg>'
    )
