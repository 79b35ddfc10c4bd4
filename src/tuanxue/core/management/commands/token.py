"""``tuanxue token create|list|revoke``: personal API tokens from the command line.

``create`` prints the secret alone on standard output (so ``KEY=$(tuanxue token create …)``
works) and the notice on standard error; the secret is never shown again.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuanxue.core.api.tokens import token_create, token_revoke
from tuanxue.core.errors import DomainError
from tuanxue.core.models import ApiToken


class Command(BaseCommand):
    help = "Create, list and revoke a user's personal API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print its secret once")
        create.add_argument("username")
        create.add_argument("--name", default="cli", help="what the token is for")
        listing = sub.add_parser("list", help="list a user's tokens")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke a token by the start of its key")
        revoke.add_argument("username")
        revoke.add_argument("token_prefix", metavar="TOKEN_PREFIX")

    def handle(self, *args, action, username, **options):
        user = self._user(username)
        if action == "create":
            self._create(user, options["name"])
        elif action == "list":
            self._list(user)
        else:
            self._revoke(user, options["token_prefix"])

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                _("No user with the username %(username)s.") % {"username": username}
            )
        return user

    def _create(self, user, name: str) -> None:
        try:
            token, key = token_create(actor=None, user=user, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            _("Token “%(name)s” created for %(username)s. Copy it now: it is not shown again.")
            % {"name": token.name, "username": user.get_username()}
        )
        self.stdout.write(key)

    def _list(self, user) -> None:
        tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
        if not tokens:
            self.stdout.write(_("%(username)s has no tokens.") % {"username": user.get_username()})
            return
        never = _("never")
        for t in tokens:
            state = (
                _("revoked %(at)s") % {"at": f"{t.revoked_at:%Y-%m-%d %H:%M}"}
                if t.revoked_at
                else _("active")
            )
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else never
            self.stdout.write(
                f"{t.hint}…  {t.name}  {t.created_at:%Y-%m-%d %H:%M}  "
                + _("last used: %(used)s") % {"used": used}
                + f"  {state}"
            )

    def _revoke(self, user, prefix: str) -> None:
        prefix = prefix.strip().rstrip("…")
        if len(prefix) < 6:
            raise CommandError(_("Give at least the first 6 characters of the token."))
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        # The whole key names its token exactly; a prefix must agree with the stored hint.
        matches = list(active.filter(key_hash=ApiToken.hash_key(prefix))) or [
            t for t in active if _agrees(t.hint, prefix)
        ]
        if not matches:
            raise CommandError(
                _("%(username)s has no active token starting with %(prefix)s.")
                % {"username": user.get_username(), "prefix": prefix}
            )
        if len(matches) > 1:
            raise CommandError(
                _("%(count)s active tokens start with %(prefix)s; give more characters.")
                % {"count": len(matches), "prefix": prefix}
            )
        try:
            token = token_revoke(actor=None, token=matches[0])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Revoked token “%(name)s” (%(hint)s…).") % {"name": token.name, "hint": token.hint}
        )


def _agrees(hint: str, prefix: str) -> bool:
    n = min(len(hint), len(prefix))
    return hint[:n] == prefix[:n]
