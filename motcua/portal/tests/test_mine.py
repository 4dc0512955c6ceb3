"""My dossiers (``/ho-so-cua-toi/``): only the signed-in owner sees a dossier, its public
timeline (never the officers' internal notes), due date and its explanation, apology, documents
and forms; answers a supplement request (checked as the desk checks files, once per form token,
nothing typed lost on an error) and withdraws (confirmed, in the states the workflow allows).
Another citizen gets the answer of an unknown code, an official is refused, an anonymous
visitor is sent to sign in."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import documents, intake, services
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.dossiers.steps import approval_refusal
from motcua.dossiers.tests.factories import complete_intake
from motcua.dossiers.workflow import Action, Status
from motcua.testing import Cast, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEMS = ["Bản sao giấy chứng sinh", "Giấy tờ tùy thân của người đi khai"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def kim(cast: Cast) -> User:
    """Another citizen."""
    return make_user("kim", (Role.CITIZEN, None))


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def processing(dossier: Dossier, cast: Cast) -> Dossier:
    services.receive(dossier, actor=cast.alice)
    services.forward(dossier, actor=cast.alice, note="Ghi chú nội bộ: hồ sơ đẹp")
    return dossier


@pytest.fixture
def supplementing(henrys: Dossier, cast: Cast) -> Dossier:
    """Henry's dossier, received and processed, waiting for his supplement."""
    processing(henrys, cast)
    return services.request_supplement(
        henrys, actor=cast.bob, items=ITEMS, reason="Thiếu giấy chứng sinh"
    )


def pdf(name: str = "chung-sinh.pdf", tail: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + tail, content_type="application/pdf")


# --- who may see what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_portals_sign_in(henrys: Dossier) -> None:
    client = Client()
    for path in (
        "/ho-so-cua-toi/",
        f"/ho-so-cua-toi/{henrys.code}/",
        f"/ho-so-cua-toi/{henrys.code}/bo-sung/",
        f"/ho-so-cua-toi/{henrys.code}/rut/",
        f"/ho-so-cua-toi/{henrys.code}/mau/receipt.pdf",
        f"/ho-so-cua-toi/{henrys.code}/tai-lieu/1/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/dang-nhap/?next=/ho-so-cua-toi/")
    assert client.post(f"/ho-so-cua-toi/{henrys.code}/rut/").status_code == 302
    assert Dossier.objects.get(pk=henrys.pk).status == Status.NEW


def test_officials_are_refused_even_on_a_dossier_of_their_agency(
    henrys: Dossier, cast: Cast
) -> None:
    for official in (cast.alice, cast.dave, cast.grace, cast.oscar):
        client = signed_in(official)
        for path in ("", f"{henrys.code}/", f"{henrys.code}/bo-sung/", f"{henrys.code}/rut/",
                     f"{henrys.code}/mau/receipt.pdf", f"{henrys.code}/tai-lieu/1/",
                     f"{henrys.code}/ket-qua/1/"):  # fmt: skip
            assert client.get(f"/ho-so-cua-toi/{path}").status_code == 403, path
        supplement = client.post(f"/ho-so-cua-toi/{henrys.code}/bo-sung/", {"other": pdf()})
        assert supplement.status_code == 403
        response = client.post(f"/ho-so-cua-toi/{henrys.code}/rut/", {"reason": "x"})
        assert response.status_code == 403
    assert Dossier.objects.get(pk=henrys.pk).status == Status.NEW


def test_the_owner_lists_only_their_own_dossiers(
    henrys: Dossier, at_desk: Dossier, kim: User, cast: Cast, birth: Case
) -> None:
    kims = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=kim
    )
    client = signed_in(cast.henry)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ho-so-cua-toi/")
    assert response.status_code == 200
    body = response.content.decode()
    assert henrys.code in body and "Đăng ký khai sinh" in body
    assert kims.code not in body and at_desk.code not in body
    assert len(queries) <= 8  # session, user, roles, count, one page: not one per dossier
    assert kims.code in signed_in(kim).get("/ho-so-cua-toi/").content.decode()


def test_another_citizens_dossier_answers_as_an_unknown_code(
    supplementing: Dossier, kim: User
) -> None:
    client = signed_in(kim)
    code = supplementing.code
    for path in ("/", "/bo-sung/", "/rut/", "/mau/supplement.pdf", "/tai-lieu/1/"):
        assert client.get(f"/ho-so-cua-toi/{code}{path}").status_code == 404, path
        assert client.get(f"/ho-so-cua-toi/H56.22-990101-0001{path}").status_code == 404
    response = client.post(
        f"/ho-so-cua-toi/{code}/bo-sung/",
        {"revision": supplementing.revision, "item_0": pdf()},
    )
    assert response.status_code == 404
    assert Dossier.objects.get(pk=supplementing.pk).status == Status.SUPPLEMENT_REQUESTED


# --- the dossier's page -----------------------------------------------------------------------


def test_the_page_shows_public_events_but_not_internal_notes(
    supplementing: Dossier, cast: Cast
) -> None:
    body = signed_in(cast.henry).get(f"/ho-so-cua-toi/{supplementing.code}/").content.decode()
    assert "Cơ quan đã tiếp nhận" in body and "Yêu cầu bổ sung hồ sơ" in body
    assert "Thiếu giấy chứng sinh" in body and ITEMS[0] in body
    assert "Ghi chú nội bộ" not in body
    assert "Gửi bổ sung" in body  # the call to send the supplement
    assert f"/ho-so-cua-toi/{supplementing.code}/bo-sung/" in body


def test_the_due_date_is_explained_in_working_days(henrys: Dossier, cast: Cast) -> None:
    processing(henrys, cast)
    response = signed_in(cast.henry).get(f"/ho-so-cua-toi/{henrys.code}/")
    body = response.content.decode()
    due = response.context["page"].due
    assert due.due_at == Dossier.objects.get(pk=henrys.pk).due_at
    # Five working days from the start of the clock; received after the 15:00 cut-off, the
    # rest of today's office hours come on top.
    assert due.working_days_left is not None and 4 < due.working_days_left <= 6
    assert due.counted_days >= 5
    assert "ngày làm việc" in body  # "5 working days", and the days left
    assert "Đang trong hạn" in body


def test_a_late_dossier_shows_the_apology_with_the_new_date_and_its_form(
    henrys: Dossier, cast: Cast
) -> None:
    processing(henrys, cast)
    assert henrys.due_at is not None
    new_date = henrys.due_at + dt.timedelta(days=10)
    services.extend(
        henrys, actor=cast.dave, reason="Chờ xác minh của Sở Y tế", new_return_at=new_date
    )
    client = signed_in(cast.henry)
    response = client.get(f"/ho-so-cua-toi/{henrys.code}/")
    page = response.context["page"]
    assert page.apology is not None and page.apology.new_return_at == new_date
    assert "Chờ xác minh của Sở Y tế" in response.content.decode()
    letter = client.get(f"/ho-so-cua-toi/{henrys.code}/mau/apology.pdf")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert letter["X-Content-Type-Options"] == "nosniff"
    assert letter.content.startswith(b"%PDF")
    # The control sheet is the agencies' record, not a paper addressed to the applicant.
    assert client.get(f"/ho-so-cua-toi/{henrys.code}/mau/control-sheet.pdf").status_code == 404
    assert client.get(f"/ho-so-cua-toi/{henrys.code}/mau/stop-notice.pdf").status_code == 404


def test_documents_download_for_the_owner_only_and_working_papers_stay_hidden(
    supplementing: Dossier, cast: Cast, kim: User
) -> None:
    sent = documents.attach(supplementing, actor=cast.henry, upload=pdf(), name=ITEMS[0])
    services.resubmit(supplementing, actor=cast.henry)
    working = documents.attach(
        supplementing, actor=cast.bob, upload=pdf("to-trinh.pdf", b"%working paper")
    )
    client = signed_in(cast.henry)
    page = client.get(f"/ho-so-cua-toi/{supplementing.code}/").context["page"]
    assert sent in page.documents and working not in page.documents
    response = client.get(f"/ho-so-cua-toi/{supplementing.code}/tai-lieu/{sent.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    hidden = client.get(f"/ho-so-cua-toi/{supplementing.code}/tai-lieu/{working.pk}/")
    assert hidden.status_code == 404
    other = signed_in(kim).get(f"/ho-so-cua-toi/{supplementing.code}/tai-lieu/{sent.pk}/")
    assert other.status_code == 404


# --- answering a supplement request -----------------------------------------------------------


def test_the_owner_answers_a_supplement_and_the_dossier_is_resubmitted(
    supplementing: Dossier, cast: Cast
) -> None:
    client = signed_in(cast.henry)
    form = client.get(f"/ho-so-cua-toi/{supplementing.code}/bo-sung/")
    assert form.status_code == 200
    assert ITEMS[0] in form.content.decode() and ITEMS[1] in form.content.decode()
    token = form.context["form"].initial["token"]
    response = client.post(
        f"/ho-so-cua-toi/{supplementing.code}/bo-sung/",
        {"token": token, "revision": supplementing.revision, "item_0": pdf(), "note": "Đã bổ sung"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so-cua-toi/{supplementing.code}/"
    dossier = Dossier.objects.get(pk=supplementing.pk)
    assert dossier.status == Status.PROCESSING
    resubmitted = dossier.events.get(action=Action.RESUBMIT)
    assert resubmitted.actor == cast.henry and resubmitted.reason == "Đã bổ sung"
    assert dossier.documents.filter(name=ITEMS[0], content_type="application/pdf").count() == 1


def test_a_replayed_answer_sends_nothing_twice(supplementing: Dossier, cast: Cast) -> None:
    client = signed_in(cast.henry)
    token = (
        client.get(f"/ho-so-cua-toi/{supplementing.code}/bo-sung/").context["form"].initial["token"]
    )
    path = f"/ho-so-cua-toi/{supplementing.code}/bo-sung/"
    data = {"token": token, "revision": supplementing.revision}
    first = client.post(path, {**data, "item_0": pdf()})
    again = client.post(path, {**data, "item_0": pdf()}, follow=True)
    assert first.status_code == 302 and again.status_code == 200
    assert "đã được gửi" in again.content.decode()
    dossier = Dossier.objects.get(pk=supplementing.pk)
    assert dossier.events.filter(action=Action.RESUBMIT).count() == 1
    assert dossier.documents.filter(name=ITEMS[0]).count() == 1


def test_a_refused_file_keeps_the_note_and_stores_nothing(
    supplementing: Dossier, cast: Cast
) -> None:
    client = signed_in(cast.henry)
    path = f"/ho-so-cua-toi/{supplementing.code}/bo-sung/"
    before = supplementing.documents.count()
    fake = SimpleUploadedFile("chung-sinh.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(
        path,
        {"revision": supplementing.revision, "item_0": pdf(), "item_1": fake, "note": "Ghi chú X"},
    )
    assert response.status_code == 400
    assert "Ghi chú X" in response.content.decode()
    assert "file_type" in {e.code for e in response.context["form"].errors.as_data()["item_1"]}
    empty = client.post(path, {"revision": supplementing.revision, "note": "Chỉ ghi chú"})
    assert empty.status_code == 400 and "Chỉ ghi chú" in empty.content.decode()
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 200, "application/pdf")
    with pytest.MonkeyPatch.context() as patch:
        from django.conf import settings

        patch.setattr(settings, "MOTCUA_MAX_UPLOAD_BYTES", 100)
        too_big = client.post(path, {"revision": supplementing.revision, "item_0": big})
    assert too_big.status_code == 400
    dossier = Dossier.objects.get(pk=supplementing.pk)
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.documents.count() == before
    assert not dossier.events.filter(action__in=[Action.ATTACH, Action.RESUBMIT]).exists()


def test_a_stale_answer_is_a_conflict(supplementing: Dossier, cast: Cast) -> None:
    response = signed_in(cast.henry).post(
        f"/ho-so-cua-toi/{supplementing.code}/bo-sung/",
        {"revision": supplementing.revision - 1, "item_0": pdf()},
    )
    assert response.status_code == 409
    assert Dossier.objects.get(pk=supplementing.pk).status == Status.SUPPLEMENT_REQUESTED
    assert not supplementing.events.filter(action=Action.ATTACH).exists()


def test_no_supplement_is_taken_when_none_is_asked_for(henrys: Dossier, cast: Cast) -> None:
    processing(henrys, cast)
    client = signed_in(cast.henry)
    path = f"/ho-so-cua-toi/{henrys.code}/bo-sung/"
    assert client.get(path).status_code == 403
    assert client.post(path, {"revision": henrys.revision, "other": pdf()}).status_code == 403
    assert not henrys.events.filter(action=Action.RESUBMIT).exists()
    page = client.get(f"/ho-so-cua-toi/{henrys.code}/").context["page"]
    assert not page.may_supplement


# --- withdrawing ------------------------------------------------------------------------------


def test_the_owner_withdraws_after_confirming(supplementing: Dossier, cast: Cast) -> None:
    client = signed_in(cast.henry)
    path = f"/ho-so-cua-toi/{supplementing.code}/rut/"
    assert client.get(path).status_code == 200
    unconfirmed = client.post(path, {"revision": supplementing.revision, "reason": "Nộp nhầm"})
    assert unconfirmed.status_code == 400 and "Nộp nhầm" in unconfirmed.content.decode()
    assert Dossier.objects.get(pk=supplementing.pk).status == Status.SUPPLEMENT_REQUESTED
    done = client.post(
        path, {"revision": supplementing.revision, "reason": "Nộp nhầm", "confirm": "on"}
    )
    assert done.status_code == 302
    dossier = Dossier.objects.get(pk=supplementing.pk)
    assert dossier.status == Status.WITHDRAWN
    event = dossier.events.get(action=Action.WITHDRAW)
    assert event.actor == cast.henry and event.reason == "Nộp nhầm"
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/")
    assert page.context["page"].standing == "withdrawn" and not page.context["page"].may_withdraw
    # Withdrawn is final: the page is refused; a repeated POST (a double click) says so.
    assert client.get(path).status_code == 403
    again = client.post(path, {"revision": dossier.revision, "reason": "x", "confirm": "on"})
    assert again.status_code == 302
    assert dossier.events.filter(action=Action.WITHDRAW).count() == 1


def test_a_dossier_whose_result_is_signed_cannot_be_withdrawn(henrys: Dossier, cast: Cast) -> None:
    processing(henrys, cast)
    while (d := Dossier.objects.get(pk=henrys.pk)).status == Status.PROCESSING:
        holder = holder_of(d, cast)
        if approval_refusal(d) is None:  # the last step: its holder signs the result
            services.approve(d, actor=holder, result="Giấy khai sinh số 12")
        else:
            services.forward(d, actor=holder)
    client = signed_in(cast.henry)
    assert client.get(f"/ho-so-cua-toi/{henrys.code}/rut/").status_code == 403
    refused = client.post(
        f"/ho-so-cua-toi/{henrys.code}/rut/", {"revision": 0, "reason": "x", "confirm": "on"}
    )
    assert refused.status_code == 403
    assert Dossier.objects.get(pk=henrys.pk).status == Status.PROCESSED
    assert "Giấy khai sinh số 12" in client.get(f"/ho-so-cua-toi/{henrys.code}/").content.decode()


def test_a_dossier_not_yet_received_may_be_withdrawn(henrys: Dossier, cast: Cast) -> None:
    client = signed_in(cast.henry)
    response = client.post(
        f"/ho-so-cua-toi/{henrys.code}/rut/",
        {"revision": henrys.revision, "reason": "Không cần nữa", "confirm": "on"},
    )
    assert response.status_code == 302
    assert DossierEvent.objects.filter(dossier=henrys, action=Action.WITHDRAW).count() == 1


# --- the electronic result --------------------------------------------------------------------


def holder_of(dossier: Dossier, cast: Cast) -> User:
    """Who holds the dossier's current step among the named officers."""
    holders: dict[str, User] = {Role.SPECIALIST: cast.bob, Role.HEAD_OF_DEPARTMENT: cast.carol}
    return holders.get(dossier.current_step.role if dossier.current_step else "", cast.dave)


def signed_result(dossier: Dossier, cast: Cast) -> DossierDocument:
    """Processed to the last step, where its holder attaches the signed result and approves."""
    processing(dossier, cast)
    while approval_refusal(d := Dossier.objects.get(pk=dossier.pk)) is not None:
        services.forward(d, actor=holder_of(d, cast))
    holder = holder_of(d, cast)
    result = documents.attach(d, actor=holder, upload=pdf("giay-khai-sinh.pdf", b"%signed"),
                              name="Giấy khai sinh", result=True)  # fmt: skip
    services.approve(d, actor=holder, result="Giấy khai sinh số 12")
    return result


def test_the_electronic_result_is_the_owners_once_returned_electronically(
    henrys: Dossier, cast: Cast, kim: User
) -> None:
    result = signed_result(henrys, cast)
    path = f"/ho-so-cua-toi/{henrys.code}/ket-qua/{result.pk}/"
    client = signed_in(cast.henry)
    assert client.get(path).status_code == 404  # signed, not yet returned
    page = client.get(f"/ho-so-cua-toi/{henrys.code}/").context["page"]
    assert page.results == [] and result not in page.documents
    services.return_result(henrys, actor=cast.alice, method="electronic")
    page = client.get(f"/ho-so-cua-toi/{henrys.code}/").context["page"]
    assert page.results == [result]
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF + b"%signed"  # type: ignore[attr-defined]
    assert signed_in(kim).get(path).status_code == 404
    assert signed_in(cast.alice).get(path).status_code == 403
    assert Client().get(path).status_code == 302
    # Through the documents' address, the result is not a document the applicant sent.
    assert client.get(f"/ho-so-cua-toi/{henrys.code}/tai-lieu/{result.pk}/").status_code == 404


def test_a_result_returned_at_the_desk_is_not_downloaded(henrys: Dossier, cast: Cast) -> None:
    result = signed_result(henrys, cast)
    services.return_result(henrys, actor=cast.alice, method="in_person")
    path = f"/ho-so-cua-toi/{henrys.code}/ket-qua/{result.pk}/"
    assert signed_in(cast.henry).get(path).status_code == 404


def test_the_page_speaks_english_when_asked(supplementing: Dossier, cast: Cast) -> None:
    client = signed_in(cast.henry)
    client.cookies["django_language"] = "en"
    body = client.get(f"/ho-so-cua-toi/{supplementing.code}/").content.decode()
    assert "How this date was reached" in body and "Supplement requested" in body
    assert "Send the supplement" in body


def test_the_chosen_way_to_receive_the_result_is_not_called_returned_before_it_is(
    cast: Cast, birth: Case
) -> None:
    """An online dossier carries the applicant's choice (public post, with the address) from
    its submission: the page says how the result will be received, and "returned" only once
    the desk has handed it to the post."""
    chosen = complete_intake(birth, channel="online")
    chosen.return_method, chosen.postal_address = "post", "Số 5 Lê Lợi, phường Mỹ Tho"
    dossier = intake.submit_online(chosen, agency=cast.agency, actor=cast.henry)
    client = signed_in(cast.henry)
    client.cookies["django_language"] = "en"
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "<dt>Receiving the result</dt>" in page and "Result returned" not in page
    assert "Số 5 Lê Lợi, phường Mỹ Tho" in page

    signed_result(dossier, cast)
    services.hand_to_post(
        Dossier.objects.get(pk=dossier.pk), actor=cast.alice, tracking_number="EB123456789VN"
    )
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "<dt>Result returned</dt>" in page and "EB123456789VN" in page
