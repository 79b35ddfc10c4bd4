"""The ledger is append-only; corrections are new rows; certification skips what is done."""

from decimal import Decimal

import pytest

from tuanxue.core.errors import DomainError
from tuanxue.ledger import selectors
from tuanxue.ledger import services as ledger
from tuanxue.ledger.models import Certification, CreditCategory, CreditEntry
from tuanxue.org.models import Role


def record(kit, student, amount="3.00", source="1", category=CreditCategory.VOLUNTEER):
    return ledger.credit_record(
        actor=None,
        student=student,
        category=category,
        amount=Decimal(amount),
        unit="hours",
        source_type="test.source",
        source_id=source,
        source_label=f"来源{source}",
    )


@pytest.fixture
def league(kit):
    return kit.user(role=Role.SCHOOL_LEAGUE)


def test_an_entry_cannot_be_saved_again_or_deleted(kit):
    entry = record(kit, kit.student())
    entry.amount = Decimal("30")
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    entry.refresh_from_db()
    assert entry.amount == Decimal("3.00")


def test_recording_is_idempotent_per_source(kit):
    student = kit.student()
    first = record(kit, student)
    again = record(kit, student, amount="9")
    assert again.pk == first.pk and CreditEntry.objects.count() == 1


def test_a_correction_is_a_new_row_referencing_the_old(kit, league):
    student = kit.student()
    entry = record(kit, student)
    correction = ledger.credit_correct(
        actor=league, entry=entry, amount=Decimal("-1"), note="多记了一小时"
    )
    assert correction.pk != entry.pk and correction.corrects == entry
    assert correction.category == CreditCategory.CORRECTION and correction.hand_entered
    entry.refresh_from_db()
    assert entry.amount == Decimal("3.00")
    view = selectors.student_ledger(student)
    assert view.totals == {"hours": Decimal("2.00")}
    assert [c.pk for c in view.entries[0].correction_rows] == [correction.pk]
    # The correction counts towards the category of what it corrects.
    assert [(amount) for _, _, amount in view.by_category] == [Decimal("2.00")]


def test_certify_batch_skips_entries_already_certified(kit, league):
    student = kit.student()
    a, b = record(kit, student, source="a"), record(kit, student, source="b")
    ledger.certify_batch(actor=league, school=kit.school, entries=[a])
    batch = ledger.certify_batch(actor=league, school=kit.school, entries=[a, b])
    assert Certification.objects.count() == 2
    assert Certification.objects.get(entry=b).batch == batch
    assert Certification.objects.get(entry=a).batch != batch
    view = selectors.student_ledger(student)
    assert view.certified == {"hours": Decimal("6.00")}
    assert list(selectors.uncertified_entries(kit.school)) == []


@pytest.mark.parametrize(
    "role", [Role.STUDENT_AFFAIRS, Role.COLLEGE_LEAGUE, Role.LEAGUE_BRANCH, None]
)
def test_only_the_league_committee_certifies_and_corrects(kit, role):
    entry = record(kit, kit.student())
    user = kit.user(role=role, student=role is None)
    with pytest.raises(DomainError) as exc:
        ledger.certify_batch(actor=user, school=kit.school, entries=[entry])
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        ledger.credit_correct(actor=user, entry=entry, amount=Decimal("1"), note="改")
    assert exc.value.code == "forbidden"
    assert CreditEntry.objects.count() == 1 and not Certification.objects.exists()


def test_another_schools_committee_cannot_certify(kit, other_kit):
    entry = record(kit, kit.student())
    stranger = other_kit.user(role=Role.SCHOOL_LEAGUE)
    with pytest.raises(DomainError):
        ledger.certify_batch(actor=stranger, school=kit.school, entries=[entry])


def test_assessment_rows_total_per_category_and_unit(kit, league):
    one, two = kit.student(), kit.student()
    entry = record(kit, one, amount="3")
    record(kit, one, amount="2", source="p", category=CreditCategory.ACTIVITY)
    ledger.credit_correct(actor=league, entry=entry, amount=Decimal("1.5"), note="补记")
    ledger.certify_batch(actor=league, school=kit.school, entries=[entry])
    columns, rows = selectors.assessment_rows(kit.school.students.all())
    assert columns == [("activity", "hours"), ("volunteer", "hours")]
    by_no = {r.student.student_no: r for r in rows}
    assert by_no[one.student_no].totals[("volunteer", "hours")] == Decimal("4.50")
    assert by_no[one.student_no].certified[("volunteer", "hours")] == Decimal("3.00")
    assert by_no[two.student_no].totals == {}
