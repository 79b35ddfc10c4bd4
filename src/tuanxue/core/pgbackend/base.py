"""PostgreSQL as Django runs it, with a cheaper health check for busy connections.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request
on a persistent connection: a whole round trip, as much as a token lookup. Here that check is
skipped when the connection finished a request without errors less than ``FRESH_SECONDS`` ago
and psycopg has not seen it break: a connection that answered a moment ago is the one case the
check cannot tell anything about. A connection idle for longer, or after an error, is checked
as before.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

FRESH_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    # When Django last looked at this connection between requests (it does as each request
    # starts and ends), and whether it was fresh then.
    _last_seen = float("-inf")
    _fresh = False

    def close_if_unusable_or_obsolete(self):
        now = time.monotonic()
        clean = self.connection is not None and not self.errors_occurred
        self._fresh = clean and now - self._last_seen < FRESH_SECONDS
        super().close_if_unusable_or_obsolete()
        if clean and self.connection is not None:
            self._last_seen = now
        else:
            self._last_seen, self._fresh = float("-inf"), False

    def close_if_health_check_failed(self):
        if (
            self._fresh
            and self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.connection.broken
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
