"""Online submission on the portal: who may use each page (owner, another citizen, anonymous,
officer), the draft resumed rather than duplicated and prefilled from the account, the desk's
checks on each upload, nothing typed lost on an error, the review, and a replayed submit
making exactly one dossier in status 1."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers.draft_models import Draft, DraftDocument
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.testing import Cast, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = "/thu-tuc/2.000720/nop-truc-tuyen/"
REVIEW = FORM + "xem-lai/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def entries(case: Case, **changes: str) -> dict[str, Any]:
    data = {
        "case": case.code, "agency": "H56.22", "name": "Henry Trần", "id_number": "079123456789",
        "address": "Phường 1", "phone": "0912345678", "email": "henry@example.vn",
        "return_method": "in_person", "postal_address": "",
    }  # fmt: skip
    data.update(changes)
    return data


def files_for(case: Case, *, mandatory_only: bool = True) -> dict[str, Any]:
    return {
        f"file_{d.pk}": SimpleUploadedFile(f"tp{d.position}.pdf", PDF, "application/pdf")
        for d in case.documents.all()
        if d.mandatory or not mandatory_only
    }


def test_anonymous_visitors_are_sent_to_the_sign_in(client: Client, business: Case) -> None:
    for url in (FORM, REVIEW, FORM + "da-nop/X/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next=")
    assert client.post(FORM + "huy/").status_code == 302
    assert not Draft.objects.exists()


def test_officials_are_refused_on_every_submission_page(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.alice)
    for url in (FORM, REVIEW, FORM + "da-nop/X/"):
        assert client.get(url).status_code == 403, url
    assert client.post(FORM, entries(business)).status_code == 403
    assert client.post(REVIEW, {"token": "9b1f0c1e-7a4d-4f8e-9d2c-1e5b3a7c9d01"}).status_code == 403
    assert client.post(FORM + "huy/").status_code == 403
    assert not Draft.objects.exists() and not Dossier.objects.exists()


def test_the_form_is_prefilled_from_the_account_and_the_draft_is_one(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.henry)
    body = client.get(FORM).content.decode()
    assert 'value="079123456789"' in body and 'value="henry@example.vn"' in body
    client.get(FORM)
    assert Draft.objects.filter(owner=cast.henry).count() == 1


def test_a_saved_draft_is_resumed_with_its_files_not_duplicated(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.henry)
    data = {**entries(business, address="Số 5 đường Lê Lợi"), "action": "save"}
    response = client.post(FORM, {**data, **files_for(business)})
    assert response.status_code == 200
    assert DraftDocument.objects.filter(draft__owner=cast.henry).count() == 2
    other = Client()
    signed_in(other, cast.henry)  # another session, another day: the same draft
    body = other.get(FORM).content.decode()
    assert "Số 5 đường Lê Lợi" in body and "tp1.pdf" in body
    assert Draft.objects.filter(owner=cast.henry).count() == 1


def test_another_citizen_never_sees_the_draft(client: Client, cast: Cast, business: Case) -> None:
    signed_in(client, cast.henry)
    client.post(FORM, {**entries(business, address="Số 5 đường Lê Lợi"), "action": "save"})
    lan = make_user("lan", ("citizen", None), id_number="079123456788")
    other = signed_in(Client(), lan)
    assert "Số 5 đường Lê Lợi" not in other.get(FORM).content.decode()
    assert other.get(REVIEW).status_code == 302  # lan has no draft ready: back to her form
    assert Draft.objects.count() == 2


def test_validation_errors_keep_everything_typed_and_the_good_files(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.henry)
    bad = SimpleUploadedFile("note.pdf", b"MZ not a pdf", "application/pdf")
    first, second = list(business.documents.order_by("position"))[:2]
    good = SimpleUploadedFile("ok.pdf", PDF, "application/pdf")
    data = entries(business, phone="12", address="Số 9 Hùng Vương", return_method="post")
    response = client.post(
        FORM, {**data, "action": "review", f"file_{first.pk}": good, f"file_{second.pk}": bad}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Số 9 Hùng Vương"' in body and 'value="12"' in body
    form = response.context["form"]
    assert {"phone", "postal_address", f"file_{second.pk}"} <= set(form.errors)
    draft = Draft.objects.get(owner=cast.henry)
    assert draft.data["address"] == "Số 9 Hùng Vương"
    assert [d.name for d in draft.documents.all()] == ["ok.pdf"]


def test_review_needs_every_mandatory_document(client: Client, cast: Cast, business: Case) -> None:
    signed_in(client, cast.henry)
    response = client.post(FORM, {**entries(business), "action": "review"})
    assert response.status_code == 400
    codes = {
        e.code for errors in response.context["form"].errors.as_data().values() for e in errors
    }
    assert "document_missing" in codes
    assert client.get(REVIEW).status_code == 302


def _ready(client: Client, case: Case, **changes: str) -> None:
    response = client.post(
        FORM, {**entries(case, **changes), "action": "review", **files_for(case)}
    )
    assert response.status_code == 302 and response["Location"] == REVIEW


def test_submit_makes_a_dossier_in_status_1_with_files_and_shows_its_code(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.henry)
    _ready(client, business, return_method="post", postal_address="Số 9 Hùng Vương, Mỹ Tho")
    review = client.get(REVIEW)
    assert review.status_code == 200 and "Số 9 Hùng Vương" in review.content.decode()
    token = review.context["confirm"].initial["token"]
    response = client.post(REVIEW, {"token": token})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.code in response["Location"]
    assert dossier.status == "1" and dossier.owner == cast.henry and dossier.channel == "online"
    assert dossier.return_method == "post" and "Hùng Vương" in dossier.postal_address
    assert all(d.file and d.provided for d in dossier.documents.filter(required__mandatory=True))
    assert not Draft.objects.exists()
    done = client.get(response["Location"])
    assert done.status_code == 200 and dossier.code in done.content.decode()
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1


def test_a_replayed_submit_makes_exactly_one_dossier(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.henry)
    _ready(client, business)
    token = client.get(REVIEW).context["confirm"].initial["token"]
    first = client.post(REVIEW, {"token": token})
    again = client.post(REVIEW, {"token": token})
    assert first["Location"] == again["Location"]
    assert Dossier.objects.count() == 1


def test_the_submitted_page_is_the_owners_only(client: Client, cast: Cast, business: Case) -> None:
    signed_in(client, cast.henry)
    _ready(client, business)
    token = client.get(REVIEW).context["confirm"].initial["token"]
    done = client.post(REVIEW, {"token": token})["Location"]
    lan = make_user("lan", ("citizen", None), id_number="079123456788")
    assert signed_in(Client(), lan).get(done).status_code == 404
    # Henry's token replayed from lan's account is lan's key: she has no draft, nothing is made.
    replayed = signed_in(Client(), lan).post(REVIEW, {"token": token})
    assert replayed.status_code == 400 and Dossier.objects.count() == 1
    assert signed_in(Client(), cast.alice).get(done).status_code == 403
    assert Client().get(done).status_code == 302


def test_discarding_the_draft_deletes_it_for_its_owner_only(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.henry)
    client.post(FORM, {**entries(business), "action": "save", **files_for(business)})
    lan = make_user("lan", ("citizen", None), id_number="079123456788")
    signed_in(Client(), lan).post(FORM + "huy/")
    assert Draft.objects.filter(owner=cast.henry).exists()
    assert client.post(FORM + "huy/").status_code == 302
    assert not Draft.objects.filter(owner=cast.henry).exists()


def test_a_procedure_not_online_or_unknown_has_no_form(client: Client, cast: Cast) -> None:
    signed_in(client, cast.henry)
    assert client.get("/thu-tuc/9.999999/nop-truc-tuyen/").status_code == 404


def test_a_complete_resumable_upload_goes_into_the_draft_by_its_token(
    client: Client, cast: Cast, business: Case
) -> None:
    """The hook for a page enhanced by JavaScript: the file sent in pieces to /api/v1/uploads/,
    then its token posted with the form. Another citizen's token is refused."""
    from motcua.dossiers import uploads

    first = business.documents.get(position=1)
    lan = make_user("lan", ("citizen", None), id_number="079123456788")
    lans = uploads.start_upload(lan, name="a.pdf", length=len(PDF))
    uploads.append(lans, offset=0, data=PDF)
    signed_in(client, cast.henry)
    stolen = client.post(
        FORM, {**entries(business), "action": "save", f"upload_{first.pk}": lans.token}
    )
    assert stolen.status_code == 400 and f"file_{first.pk}" in stolen.context["form"].errors
    mine = uploads.start_upload(cast.henry, name="to-khai.pdf", length=len(PDF))
    uploads.append(mine, offset=0, data=PDF)
    saved = client.post(
        FORM, {**entries(business), "action": "save", f"upload_{first.pk}": mine.token}
    )
    assert saved.status_code == 200
    assert [d.name for d in DraftDocument.objects.filter(draft__owner=cast.henry)] == [
        "to-khai.pdf"
    ]


def test_a_draft_begun_under_an_earlier_version_loses_its_old_checklist(
    client: Client, cast: Cast, business: Case
) -> None:
    signed_in(client, cast.henry)
    client.post(FORM, {**entries(business), "action": "save", **files_for(business)})
    draft = Draft.objects.get(owner=cast.henry)
    from motcua.dossiers import drafts

    other_version = business.version
    other_version.pk = None  # an unsaved stand-in: any version other than the draft case's
    resumed = drafts.draft_for(cast.henry, other_version)
    assert resumed.pk == draft.pk and resumed.case is None and not resumed.documents.exists()


def test_an_organisation_submits_under_its_tax_code(
    client: Client, cast: Cast, business: Case
) -> None:
    firm = make_user("0101234567", ("citizen", None), id_number="0101234567", kind="organisation",
                     full_name="Công ty TNHH Sen Vàng")  # fmt: skip
    signed_in(client, firm)
    assert 'value="Công ty TNHH Sen Vàng"' in client.get(FORM).content.decode()
    data = entries(business, name="Công ty TNHH Sen Vàng", id_number="0101234567")
    response = client.post(FORM, {**data, "action": "review", **files_for(business)})
    assert response.status_code == 302, response.context["form"].errors
    token = client.get(REVIEW).context["confirm"].initial["token"]
    client.post(REVIEW, {"token": token})
    dossier = Dossier.objects.get()
    assert dossier.applicant_kind == "organisation" and dossier.applicant_id_number == "0101234567"
