"""The class–League integration rules as a row of the compliance page (on the school union)."""

from __future__ import annotations

from django.utils.translation import gettext as _

MAX_NAMED = 30


def class_rows(structure, rules) -> list:
    """One row on the school union: how many classes break the class–League rules in the term
    of the structure's day, naming them. Nothing before the school records class roles."""
    from tuanxue.linkage.access import term_on
    from tuanxue.linkage.classes import schools_class_checks

    union = structure.union
    if not union.is_school_level:
        return []
    cached = getattr(structure, "_class_rows", None)
    if cached is not None:
        return cached
    term = term_on(union.school, structure.day)
    checks = schools_class_checks([(union.school, term)]) if term is not None else {}
    return _rows(term, checks.get(union.school.pk))


def prefetch_class_rows(contexts) -> None:
    """``class_rows`` of the school union of every assessment's context, in one or two
    queries for all of them."""
    from tuanxue.linkage.access import term_on
    from tuanxue.linkage.classes import schools_class_checks

    terms = {}
    for ctx in contexts:
        term = term_on(ctx.school, ctx.day, ctx.semesters)
        if term is not None:
            terms[ctx.school.pk] = (ctx.school, term)
    checks = schools_class_checks(list(terms.values())) if terms else {}
    for ctx in contexts:
        term = terms.get(ctx.school.pk, (None, None))[1]
        ctx.school_union._class_rows = _rows(term, checks.get(ctx.school.pk))


def _rows(term, checks) -> list:
    from tuanxue.charter.compliance import RuleRow

    if checks is None:
        return []
    broken = [c for c in checks if not c.ok]
    named = [f"{c.class_group.name}（{'；'.join(c.breaches)}）" for c in broken[:MAX_NAMED]]
    if len(broken) > MAX_NAMED:
        named.append(_("and %(n)s more") % {"n": len(broken) - MAX_NAMED})
    return [
        RuleRow(
            "class_league",
            _(
                "classes breaking the class–League rules in %(term)s (monitor is the deputy "
                "League secretary; an innovation and entrepreneurship member)"
            )
            % {"term": term.code},
            len(broken),
            "0",
            not broken,
            bodies=named,
        )
    ]
