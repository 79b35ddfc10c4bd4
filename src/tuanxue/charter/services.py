"""Charter versions: which is in force, and adopting a new one (school League committee only)."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuanxue.charter.models import Assessment, Attestation, Charter, CongressRecord, Guidance
from tuanxue.charter.rules import CharterRules
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.access import require_league_committee


def charter_in_force(school: School, day: dt.date) -> Charter | None:
    return charters_in_force([school], day).get(school.pk)


def charters_in_force(schools, day: dt.date) -> dict[int, Charter]:
    """The charter version in force on ``day`` at each school (the latest in effect by then),
    by school id, in one query."""
    out: dict[int, Charter] = {}
    for charter in Charter.objects.filter(school__in=schools, effective_from__lte=day).order_by(
        "-effective_from"
    ):
        out.setdefault(charter.school_id, charter)
    return out


def charter_adopt(
    *,
    actor,
    school: School,
    name: str,
    version_label: str,
    effective_from: dt.date,
    rules: dict,
    adopted_by: str = "",
) -> Charter:
    require_league_committee(actor, school)
    parsed = CharterRules.from_json(rules)
    if not name.strip() or not version_label.strip():
        raise DomainError(_("A charter needs a name and a version label."), field="version_label")
    with transaction.atomic():
        try:
            with transaction.atomic():
                charter = Charter.objects.create(
                    school=school,
                    name=name.strip(),
                    version_label=version_label.strip(),
                    effective_from=effective_from,
                    adopted_by=adopted_by,
                    rules=parsed.to_json(),
                    created_by=actor,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("A charter version with this label or this start date already exists."),
                field="version_label",
            ) from exc
        audit_record(
            school=school,
            actor=actor,
            action="charter.version.adopted",
            target=charter,
            new={
                "name": charter.name,
                "version": charter.version_label,
                "effective_from": effective_from,
                "adopted_by": adopted_by,
                "rules": charter.rules,
            },
        )
    return charter


def congress_record_add(
    *,
    actor,
    school: School,
    union,
    name: str,
    held_on: dt.date,
    delegates: int,
    elected_presidium: bool,
    notes: str = "",
) -> CongressRecord:
    from tuanxue.charter.records.checks import check_congress_fields

    require_league_committee(actor, school)
    name = check_congress_fields(
        union=union, school=school, name=name, held_on=held_on, delegates=delegates
    )
    with transaction.atomic():
        record = CongressRecord.objects.create(
            school=school,
            union=union,
            name=name,
            held_on=held_on,
            delegates=delegates,
            elected_presidium=elected_presidium,
            notes=notes,
        )
        audit_record(
            school=school,
            actor=actor,
            action="charter.congress.recorded",
            target=record,
            new={
                "name": name,
                "held_on": held_on,
                "delegates": delegates,
                "elected_presidium": elected_presidium,
            },
        )
    return record


def attestation_add(
    *,
    actor,
    school: School,
    item_code: str,
    title: str,
    dated: dt.date,
    summary: str = "",
    upload=None,
) -> Attestation:
    """Record a document, with its file when one is attached (checked before anything is
    written; the stored file is removed again if the record is not)."""
    from tuanxue.charter.records.checks import check_attestation_fields
    from tuanxue.charter.records.files import check_upload

    require_league_committee(actor, school)
    title = check_attestation_fields(item_code=item_code, title=title, dated=dated)
    digest = check_upload(upload) if upload is not None else None
    stored = ""
    try:
        with transaction.atomic():
            attestation = Attestation.objects.create(
                school=school,
                item_code=item_code,
                title=title,
                dated=dated,
                summary=summary.strip(),
                recorded_by=actor,
            )
            new = {"item": item_code, "title": title, "dated": dated}
            if upload is not None:
                attestation.file_name = upload.name[:200]
                attestation.file.save(upload.name, upload, save=False)
                stored = attestation.file.name
                attestation.save(update_fields=["file", "file_name"])
                new.update({"file": attestation.file_name, "sha256": digest})
            audit_record(
                school=school,
                actor=actor,
                action="charter.attestation.recorded",
                target=attestation,
                new=new,
            )
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    return attestation


def guidance_names(guidance: Guidance) -> dict:
    """The teachers as the audit log shows them: name and staff number."""

    def person(p):
        return None if p is None else f"{p.name}（{p.staff_no}）"

    return {
        "advisor": person(guidance.advisor),
        "secretary_general": person(guidance.secretary_general),
    }


def guidance_set(*, actor, union, advisor=None, secretary_general=None) -> Guidance:
    require_league_committee(actor, union.school)
    for person in (advisor, secretary_general):
        if person is not None and person.school_id != union.school_id:
            raise DomainError(_("The teacher belongs to another school."))
    if advisor is None and secretary_general is None:
        raise DomainError(
            _("Choose the advisor teacher or the secretary-general teacher (or both)."),
            field="advisor",
        )
    with transaction.atomic():
        guidance, created = Guidance.objects.select_for_update().get_or_create(union=union)
        old = None if created else guidance_names(guidance)
        guidance.advisor = advisor
        guidance.secretary_general = secretary_general
        guidance.save()
        audit_record(
            school=union.school,
            actor=actor,
            action="charter.guidance.set",
            target=guidance,
            old=old,
            new=guidance_names(guidance),
        )
    return guidance


def assessment_save(
    *,
    actor,
    school: School,
    year: int,
    assessed_on: dt.date,
    narrative: dict[str, str],
    published: bool | None = None,
) -> Assessment:
    require_league_committee(actor, school)
    with transaction.atomic():
        assessment, created = Assessment.objects.select_for_update().get_or_create(
            school=school, year=year, defaults={"assessed_on": assessed_on}
        )
        old = (
            None
            if created
            else {
                "assessed_on": assessment.assessed_on,
                "narrative": assessment.narrative,
                "published": assessment.published,
            }
        )
        assessment.assessed_on = assessed_on
        assessment.narrative = {k: v for k, v in narrative.items() if v.strip()}
        if published is not None:
            assessment.published = published
        assessment.save()
        audit_record(
            school=school,
            actor=actor,
            action="charter.assessment.saved",
            target=assessment,
            old=old,
            new={
                "assessed_on": assessed_on,
                "narrative": assessment.narrative,
                "published": assessment.published,
            },
        )
    return assessment
