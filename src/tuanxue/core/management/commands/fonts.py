"""``tuanxue fonts``: build the TrueType font every PDF embeds, ahead of the first PDF.

The conversion takes under a minute once; later runs find the cached file and return at once.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from tuanxue.core.documents.fonts import cjk_font, font_file


class Command(BaseCommand):
    help = "Build (once) the cached Chinese TrueType font that every PDF embeds."

    def handle(self, *args, **options):
        started = time.monotonic()
        ready = font_file().is_file()
        cjk_font()
        if not ready and options["verbosity"]:
            self.stdout.write(f"{font_file()} ({time.monotonic() - started:.0f} s)")
