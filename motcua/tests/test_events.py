"""The append-only event base (``motcua/events.py``): every history table shares it, and each one
refuses an update or a delete through the model, the queryset and the admin."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.test import RequestFactory

from motcua.accounts import services as accounts
from motcua.accounts.models import OrganisationEvent, Role
from motcua.catalogue.models import CatalogueEvent
from motcua.digitisation import services as digitisation
from motcua.digitisation.models import DigitisedPaper, PaperReuse
from motcua.digitisation.tests.factories import scanned_dossier, unscanned_dossier
from motcua.dossiers import access_log, intake, replies
from motcua.dossiers.access_models import AccessKind, DossierAccess
from motcua.dossiers.models import DossierEvent, ReplyKind, ReplyTemplateEvent
from motcua.dossiers.tests.factories import (
    birth_registration_case,
    complete_intake,
    household_business_case,
)
from motcua.events import AppendOnlyEvent, ImmutableEvent
from motcua.feedback.models import FeedbackEvent
from motcua.feedback.tests.factories import submit
from motcua.integration import catalogue_sync, outbox
from motcua.integration.models import CatalogueSyncEvent, MessageEvent, OutboxMessage
from motcua.integration.national import NationalPortal
from motcua.integration.simulator import NationalSimulator
from motcua.par.models import ParEvent
from motcua.par.tests.factories import example_set
from motcua.payments import services as payments
from motcua.payments.models import PaymentEvent
from motcua.reform.models import ReformEvent
from motcua.reform.tests.factories import province_plan
from motcua.satisfaction import services as satisfaction
from motcua.satisfaction.models import RatingEvent
from motcua.satisfaction.tests.factories import answers, returned_dossier
from motcua.testing import Cast, make_user
from motcua.workdays import services as calendars
from motcua.workdays.models import CalendarEvent

EVENT_MODELS: list[type[AppendOnlyEvent]] = [
    OrganisationEvent,
    CalendarEvent,
    CatalogueEvent,
    DossierEvent,
    ReplyTemplateEvent,
    DossierAccess,
    FeedbackEvent,
    RatingEvent,
    PaymentEvent,
    MessageEvent,
    CatalogueSyncEvent,
    ReformEvent,
    PaperReuse,
    ParEvent,
]
LATER = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def test_every_event_model_shares_the_append_only_base() -> None:
    """The histories (the access log of personal data, the payment gateway's messages, the
    ratings', the feedback's, the national outbox's and the PAR self-assessment's changes
    among them), and no other
    model, derive from ``AppendOnlyEvent``; no model named like an event escapes it."""
    derived = {m for m in apps.get_models() if issubclass(m, AppendOnlyEvent)}
    assert derived == set(EVENT_MODELS)
    named = {m for m in apps.get_models() if m.__name__.endswith("Event")}
    assert named <= derived


@pytest.fixture
def events(
    cast: Cast, settings: object, tmp_path: object
) -> dict[type[AppendOnlyEvent], AppendOnlyEvent]:
    """One event of each history, written by the real services."""
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    accounts.grant_role(make_user("mai"), Role.SPECIALIST, cast.agency, actor=cast.erin)
    calendars.create_calendar(actor=None, code="HNI", name="Hà Nội")
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    read = RequestFactory().get(f"/workspace/dossiers/{dossier.code}/")
    read.user = cast.bob
    access_log.record_reads(read, AccessKind.VIEW, [dossier])
    replies.create_template(
        agency=cast.agency, kind=ReplyKind.SUPPLEMENT, title="T", body="B", actor=cast.erin
    )
    submit(procedure_code=case.version.procedure.code)
    returned = returned_dossier(cast, birth_registration_case(cast.agency), owner=cast.henry)
    satisfaction.rate(returned, actor=cast.henry, level="satisfied", answers=answers())
    payments.handle_ipn({"vnp_TxnRef": "UNSIGNED"})  # refused, and logged
    outbox.annotate(
        OutboxMessage.objects.earliest("pk"), note="Đã báo Cổng quốc gia", actor=cast.grace
    )
    with NationalSimulator().running() as url:  # the national catalogue pulled
        catalogue_sync.pull_catalogue(actor=cast.grace, portal=NationalPortal(url))
    province_plan(cast)
    paper = DigitisedPaper.objects.filter(dossier=scanned_dossier(cast, case)).earliest("pk")
    later = unscanned_dossier(cast, case)
    digitisation.reuse_paper(
        later,
        paper_id=paper.pk,
        document_id=later.documents.get(required=paper.required).pk,
        actor=cast.alice,
    )
    example_set(cast.frank)
    return {model: model.objects.order_by("-pk").first() for model in EVENT_MODELS}  # type: ignore[misc]


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_an_event_is_never_saved_again(
    events: dict[type[AppendOnlyEvent], AppendOnlyEvent], model: type[AppendOnlyEvent]
) -> None:
    event = events[model]
    event.at = LATER  # type: ignore[attr-defined]
    with pytest.raises(ImmutableEvent):
        event.save()
    with pytest.raises(ImmutableEvent):
        event.save(update_fields=["at"])  # type: ignore[misc]
    assert model.objects.get(pk=event.pk).at != LATER  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_an_event_is_never_deleted(
    events: dict[type[AppendOnlyEvent], AppendOnlyEvent], model: type[AppendOnlyEvent]
) -> None:
    event = events[model]
    with pytest.raises(ImmutableEvent):
        event.delete()
    assert model.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_a_queryset_of_events_neither_updates_nor_deletes(
    events: dict[type[AppendOnlyEvent], AppendOnlyEvent], model: type[AppendOnlyEvent]
) -> None:
    event = events[model]
    rows = model.objects.filter(pk=event.pk)
    with pytest.raises(ImmutableEvent):
        rows.update(**{"at": LATER})
    with pytest.raises(ImmutableEvent):
        rows.delete()
    with pytest.raises(ImmutableEvent):
        model.objects.all().delete()
    event.at = LATER  # type: ignore[attr-defined]
    with pytest.raises(ImmutableEvent):
        model.objects.bulk_update([event], ["at"])  # type: ignore[misc]
    with pytest.raises(ImmutableEvent):
        model.objects.update_or_create(**{"pk": event.pk, "defaults": {"at": LATER}})
    assert model.objects.get(pk=event.pk).at != LATER  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_an_event_with_the_key_of_another_is_not_written_over_it(
    events: dict[type[AppendOnlyEvent], AppendOnlyEvent], model: type[AppendOnlyEvent]
) -> None:
    """A new instance given an existing primary key is an INSERT, refused by the database,
    never the UPDATE Django would otherwise try first."""
    from django.db import IntegrityError, transaction

    event = events[model]
    copy = model.objects.get(pk=event.pk)
    copy._state.adding = True
    copy.at = LATER  # type: ignore[attr-defined]
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert model.objects.get(pk=event.pk).at != LATER  # type: ignore[attr-defined]


def _admins_of_events() -> list[tuple[str, object]]:
    """Every registered admin and inline that shows an event model."""
    found: list[tuple[str, object]] = []
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, AppendOnlyEvent):
            found.append((model.__name__, model_admin))
        for inline in model_admin.get_inline_instances(_request()):
            if issubclass(inline.model, AppendOnlyEvent):
                found.append((f"{model.__name__}.{type(inline).__name__}", inline))
    return found


def _request() -> HttpRequest:
    from motcua.accounts.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(username="root", is_staff=True, is_superuser=True)
    return request


@pytest.mark.django_db
def test_the_admin_shows_events_read_only() -> None:
    """Even a superuser may not add, change or delete an event through the admin (pages and
    inlines); each history with an admin page is among them."""
    found = _admins_of_events()
    shown = {name for name, _ in found if "." not in name}
    assert shown == {
        "OrganisationEvent", "CalendarEvent", "CatalogueEvent", "DossierEvent", "DossierAccess",
        "FeedbackEvent",
        "RatingEvent",
        "PaymentEvent",
        "ReformEvent",
        "PaperReuse",
    }  # fmt: skip
    request = _request()
    for name, model_admin in found:
        for permission in ("has_add_permission", "has_change_permission", "has_delete_permission"):
            assert not getattr(model_admin, permission)(request, None), f"{name}.{permission}"
