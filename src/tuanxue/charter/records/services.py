"""Editing and deleting the records the self-assessment reads from outside the system: congresses
held before the platform, documents (attestations) and the League committee's guidance.

Adding goes through ``tuanxue.charter.services`` (``congress_record_add``, ``attestation_add``,
``guidance_set``); the checks on a record's fields live here, shared by adding and editing.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from tuanxue.charter.models import Attestation, CongressRecord, Guidance
from tuanxue.charter.records.checks import (
    check_attestation_fields,
    check_congress_fields,
)
from tuanxue.charter.records.files import check_upload, remove_after_commit
from tuanxue.charter.services import guidance_names
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import require_league_committee


def _congress_values(record: CongressRecord) -> dict:
    return {
        "union": record.union.name,
        "name": record.name,
        "held_on": record.held_on,
        "delegates": record.delegates,
        "elected_presidium": record.elected_presidium,
        "notes": record.notes,
    }


def congress_record_update(
    *,
    actor,
    record: CongressRecord,
    union,
    name: str,
    held_on: dt.date,
    delegates: int,
    elected_presidium: bool,
    notes: str = "",
) -> CongressRecord:
    require_league_committee(actor, record.school)
    name = check_congress_fields(
        union=union, school=record.school, name=name, held_on=held_on, delegates=delegates
    )
    with transaction.atomic():
        record = (
            CongressRecord.objects.select_for_update(of=("self",))
            .select_related("union")
            .get(pk=record.pk)
        )
        old = _congress_values(record)
        record.union = union
        record.name = name
        record.held_on = held_on
        record.delegates = delegates
        record.elected_presidium = elected_presidium
        record.notes = notes.strip()
        record.save()
        new = _congress_values(record)
        audit_record(
            school=record.school,
            actor=actor,
            action="charter.congress.changed",
            target=record,
            old={k: v for k, v in old.items() if new[k] != v},
            new={k: v for k, v in new.items() if old[k] != v},
        )
    return record


def congress_record_delete(*, actor, record: CongressRecord) -> None:
    require_league_committee(actor, record.school)
    with transaction.atomic():
        record = (
            CongressRecord.objects.select_for_update(of=("self",))
            .select_related("union")
            .filter(pk=record.pk)
            .first()
        )
        if record is None:
            raise DomainError(_("This congress record was already deleted."))
        audit_record(
            school=record.school,
            actor=actor,
            action="charter.congress.deleted",
            target=record,
            old=_congress_values(record),
        )
        record.delete()


def _attestation_values(a: Attestation) -> dict:
    return {
        "item": a.item_code,
        "title": a.title,
        "dated": a.dated,
        "summary": a.summary,
        "file": a.file_name,
    }


def attestation_update(
    *,
    actor,
    attestation: Attestation,
    item_code: str,
    title: str,
    dated: dt.date,
    summary: str,
    upload=None,
) -> Attestation:
    """Change a document; an attached file replaces the one before (removed once committed)."""
    require_league_committee(actor, attestation.school)
    title = check_attestation_fields(item_code=item_code, title=title, dated=dated)
    digest = check_upload(upload) if upload is not None else None
    stored = ""
    try:
        with transaction.atomic():
            attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
            old = _attestation_values(attestation)
            attestation.item_code = item_code
            attestation.title = title
            attestation.dated = dated
            attestation.summary = summary.strip()
            if upload is not None:
                remove_after_commit(attestation.file.name)
                attestation.file_name = upload.name[:200]
                attestation.file.save(upload.name, upload, save=False)
                stored = attestation.file.name
            attestation.save()
            new = _attestation_values(attestation)
            changed_new = {k: v for k, v in new.items() if old[k] != v}
            if digest:
                changed_new["sha256"] = digest
            audit_record(
                school=attestation.school,
                actor=actor,
                action="charter.attestation.changed",
                target=attestation,
                old={k: v for k, v in old.items() if new[k] != v},
                new=changed_new,
            )
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    return attestation


def attestation_delete(*, actor, attestation: Attestation) -> None:
    require_league_committee(actor, attestation.school)
    with transaction.atomic():
        attestation = Attestation.objects.select_for_update().filter(pk=attestation.pk).first()
        if attestation is None:
            raise DomainError(_("This document was already deleted."))
        audit_record(
            school=attestation.school,
            actor=actor,
            action="charter.attestation.deleted",
            target=attestation,
            old=_attestation_values(attestation),
        )
        remove_after_commit(attestation.file.name)
        attestation.delete()


def guidance_clear(*, actor, union) -> None:
    """Remove the record of a union's guidance (both teachers)."""
    require_league_committee(actor, union.school)
    with transaction.atomic():
        guidance = (
            Guidance.objects.select_for_update(of=("self",))
            .select_related("advisor", "secretary_general")
            .filter(union=union)
            .first()
        )
        if guidance is None:
            raise DomainError(_("No guidance is recorded for %(union)s.") % {"union": union.name})
        audit_record(
            school=union.school,
            actor=actor,
            action="charter.guidance.cleared",
            target=guidance,
            old=guidance_names(guidance),
        )
        guidance.delete()
