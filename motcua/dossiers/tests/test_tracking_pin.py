"""The tracking PIN: drawn at random for each dossier, normalised as typed, and given by a data
migration to dossiers made before the column existed."""

import importlib

from django.apps import apps

from motcua.dossiers import codes, intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import Cast


def test_a_pin_is_eight_characters_without_look_alikes() -> None:
    pins = {codes.new_tracking_pin() for _ in range(200)}
    assert len(pins) == 200
    for pin in pins:
        assert len(pin) == 8
        assert set(pin) <= set(codes.PIN_ALPHABET)
        assert not set(pin) & set("01OIL")


def test_a_typed_pin_is_read_in_any_case_with_spaces_or_dashes() -> None:
    assert codes.normalise_pin(" abcd-efgh ") == "ABCDEFGH"
    assert codes.normalise_pin("AB CD EF GH") == "ABCDEFGH"


def test_the_data_migration_gives_each_dossier_without_a_pin_its_own(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    made = [
        intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
        for _ in range(3)
    ]
    kept = made[0].tracking_pin
    Dossier.objects.filter(pk__in=[d.pk for d in made[1:]]).update(tracking_pin="")
    migration = importlib.import_module("motcua.dossiers.migrations.0012_fill_tracking_pins")
    migration.fill(apps, None)
    pins = dict(Dossier.objects.values_list("pk", "tracking_pin"))
    assert pins[made[0].pk] == kept  # a dossier that had one keeps it
    assert all(len(pin) == 8 for pin in pins.values())
    assert len(set(pins.values())) == 3
