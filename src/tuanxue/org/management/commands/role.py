"""``tuanxue role grant|revoke USERNAME ROLE --school CODE [--college NAME] [--class NAME]`` and
``tuanxue role list --school CODE``: roles from the command line, audited like on the pages."""

from __future__ import annotations

import argparse

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.models import ClassGroup, College, Role, RoleGrant
from tuanxue.org.people import rules, selectors, services


def roles_help() -> str:
    lines = [_("Roles:")]
    for role in rules.GRANTABLE:
        scope = {
            "school": _("whole school"),
            "college": _("needs --college"),
            "class": _("needs --class"),
        }[rules.scope_of(role)]
        lines.append(f"  {role:<18} {Role(role).label}（{scope}）")
    return "\n".join(lines)


class Command(BaseCommand):
    help = _("Give, take back or list the roles of a school's people.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for action, text in (
            ("grant", _("give a role")),
            ("revoke", _("take a role back")),
        ):
            cmd = sub.add_parser(
                action,
                help=text,
                description=text,
                epilog=roles_help(),
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
            cmd.add_argument("username", help=_("the account: a student or staff number"))
            cmd.add_argument("role", help=_("one of the roles listed below"))
            cmd.add_argument("--school", required=True, help=_("the school's code"))
            cmd.add_argument("--college", help=_("the college's name, for college roles"))
            cmd.add_argument(
                "--class", dest="class_name", help=_("the class's name, for a League branch")
            )
        listing = sub.add_parser(
            "list",
            help=_("list the roles given in a school"),
        )
        listing.add_argument("--school", required=True, help=_("the school's code"))

    def handle(self, *args, action: str, school: str, **options):
        school_obj = School.objects.filter(code=school.strip().lower()).first()
        if school_obj is None:
            raise CommandError(_("There is no school with code %(code)s.") % {"code": school})
        if action == "list":
            self._list(school_obj)
            return
        role = self._role(options["role"])
        user = get_user_model().objects.filter(username=options["username"].strip()).first()
        if user is None:
            raise CommandError(
                _("There is no account %(name)s. Create logins with: tuanxue accounts create")
                % {"name": options["username"]}
            )
        college = self._college(school_obj, options.get("college"))
        class_group = self._class(school_obj, options.get("class_name"))
        try:
            if action == "grant":
                grant = services.role_grant_give(
                    actor=None,
                    school=school_obj,
                    user=user,
                    role=role,
                    college=college,
                    class_group=class_group,
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Gave %(user)s the role %(role)s (%(scope)s).")
                        % {
                            "user": self._who(user),
                            "role": Role(role).label,
                            "scope": services.scope_label(grant),
                        }
                    )
                )
            else:
                self._revoke(school_obj, user, role, college, class_group)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _role(self, text: str) -> str:
        text = text.strip()
        for role in rules.GRANTABLE:
            if text in (role, str(Role(role).label)):
                return role
        raise CommandError(_("Unknown role %(role)s.") % {"role": text} + "\n" + roles_help())

    def _college(self, school, name):
        if not name:
            return None
        college = College.objects.filter(school=school, name=name.strip()).first()
        if college is None:
            raise CommandError(_("There is no college %(name)s in this school.") % {"name": name})
        return college

    def _class(self, school, name):
        if not name:
            return None
        group = ClassGroup.objects.filter(school=school, name=name.strip()).first()
        if group is None:
            raise CommandError(_("There is no class %(name)s in this school.") % {"name": name})
        return group

    @staticmethod
    def _who(user) -> str:
        if user.first_name:
            return f"{user.first_name}（{user.get_username()}）"
        return user.get_username()

    def _revoke(self, school, user, role, college, class_group) -> None:
        grants = RoleGrant.objects.filter(
            school=school, user=user, role=role, revoked_at__isnull=True
        ).select_related("school", "college", "class_group")
        if class_group is not None:
            grants = grants.filter(class_group=class_group)
        elif college is not None:
            grants = grants.filter(college=college)
        grants = list(grants)
        if not grants:
            raise CommandError(
                _("%(user)s does not hold %(role)s in this scope.")
                % {"user": self._who(user), "role": Role(role).label}
            )
        if len(grants) > 1:
            scopes = "、".join(services.scope_label(g) for g in grants)
            raise CommandError(
                _(
                    "%(user)s holds %(role)s in several places (%(scopes)s); name one with "
                    "--college or --class."
                )
                % {"user": self._who(user), "role": Role(role).label, "scopes": scopes}
            )
        grant = services.role_grant_withdraw(actor=None, grant=grants[0])
        self.stdout.write(
            self.style.SUCCESS(
                _("Took back %(role)s (%(scope)s) from %(user)s.")
                % {
                    "user": self._who(user),
                    "role": Role(role).label,
                    "scope": services.scope_label(grant),
                }
            )
        )

    def _list(self, school) -> None:
        grants = list(selectors.open_grants(school, None))
        if not grants:
            self.stdout.write(
                _(
                    "No roles given in %(school)s yet. Give one with: tuanxue role grant USERNAME ROLE --school %(code)s"
                )
                % {"school": school.name, "code": school.code}
            )
            return
        self.stdout.write(
            _("Roles in %(school)s: %(count)s") % {"school": school.name, "count": len(grants)}
        )
        for grant in grants:
            self.stdout.write(
                _("%(role)s\t%(scope)s\t%(user)s\tsince %(date)s")
                % {
                    "role": grant.get_role_display(),
                    "scope": services.scope_label(grant),
                    "user": self._who(grant.user),
                    "date": grant.granted_at.date().isoformat(),
                }
            )
