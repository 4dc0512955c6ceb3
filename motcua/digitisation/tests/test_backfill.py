"""``manage.py digitise_existing`` fills the register from documents stored before it, from
their attach events, and adds nothing when run again."""

from io import StringIO

from django.core.management import call_command

from motcua.digitisation.models import DigitisedPaper
from motcua.digitisation.tests.factories import scanned_dossier
from motcua.dossiers.tests.factories import at, household_business_case
from motcua.testing import Cast


def run() -> str:
    out = StringIO()
    call_command("digitise_existing", stdout=out)
    return out.getvalue()


def test_documents_stored_before_the_register_are_recorded_once(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    dossier = scanned_dossier(cast, case, now=at("2026-03-09T09:00"))
    before = list(
        DigitisedPaper.objects.order_by("pk").values_list(
            "document_id", "kind", "owner_id_number", "scanned_by_id", "scanned_at", "required_id"
        )
    )
    assert len(before) == 2
    DigitisedPaper.objects.all().delete()  # as before this app existed

    assert run().startswith("2 digitised papers recorded")
    after = list(
        DigitisedPaper.objects.order_by("pk").values_list(
            "document_id", "kind", "owner_id_number", "scanned_by_id", "scanned_at", "required_id"
        )
    )
    assert after == before
    assert DigitisedPaper.objects.filter(dossier=dossier).count() == 2
    assert run().startswith("0 digitised papers recorded")
    assert DigitisedPaper.objects.count() == 2
