"""Reply templates: who keeps them (heads of department and agency administrators of the
agency), the audit trail of each change, the management page's permissions, and their use in
the supplement request of the dossier page and the refusal at the desk, with and without
JavaScript."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from motcua.accounts.models import Role
from motcua.catalogue.models import Case
from motcua.dossiers import replies, services
from motcua.dossiers.models import (
    Dossier,
    ReplyKind,
    ReplyTemplate,
    ReplyTemplateAction,
)
from motcua.dossiers.workflow import Status
from motcua.errors import refusal_codes
from motcua.events import ImmutableEvent
from motcua.testing import Cast, make_user

SUPPLEMENT_TEXT = "Bản sao Căn cước công dân của chủ hộ\nHợp đồng thuê địa điểm kinh doanh"
REFUSAL_TEXT = "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan"


def _supplement(cast: Cast, title: str = "Thiếu giấy tờ chủ hộ") -> ReplyTemplate:
    return replies.create_template(
        agency=cast.agency,
        kind=ReplyKind.SUPPLEMENT,
        title=title,
        body=SUPPLEMENT_TEXT,
        actor=cast.carol,
    )


# --- services ------------------------------------------------------------------------------


def test_a_head_of_department_creates_edits_and_deactivates_with_an_event_each(
    cast: Cast,
) -> None:
    template = _supplement(cast)
    assert template.created_by == cast.carol and template.active
    replies.update_template(
        template, kind=ReplyKind.SUPPLEMENT, title="Thiếu CCCD", body="Bản sao CCCD",
        actor=cast.erin,
    )  # fmt: skip
    replies.deactivate_template(template, actor=cast.erin)
    replies.deactivate_template(template, actor=cast.erin)  # twice: nothing more recorded
    events = list(template.events.order_by("pk"))
    assert [e.action for e in events] == [
        ReplyTemplateAction.CREATED,
        ReplyTemplateAction.UPDATED,
        ReplyTemplateAction.DEACTIVATED,
    ]
    assert [e.actor for e in events] == [cast.carol, cast.erin, cast.erin]
    assert events[1].data["body"] == "Bản sao CCCD"
    assert events[0].data["body"] == SUPPLEMENT_TEXT  # history keeps what it said
    template.refresh_from_db()
    assert not template.active
    with pytest.raises(ImmutableEvent):
        events[0].save()


def test_officers_who_are_not_managers_may_not_write_templates(cast: Cast) -> None:
    judy = make_user("judy", (Role.HEAD_OF_DEPARTMENT, cast.other_agency))
    for user in (cast.alice, cast.bob, cast.dave, cast.henry, cast.oscar, judy):
        with pytest.raises(PermissionDenied):
            replies.create_template(
                agency=cast.agency, kind=ReplyKind.REFUSAL, title="X", body="Y", actor=user
            )
    template = _supplement(cast)
    with pytest.raises(PermissionDenied):
        replies.deactivate_template(template, actor=judy)
    assert ReplyTemplate.objects.filter(active=True).count() == 1


def test_a_template_needs_a_title_a_text_and_a_kind(cast: Cast) -> None:
    with pytest.raises(ValidationError) as invalid:
        replies.create_template(
            agency=cast.agency, kind="other", title=" ", body="", actor=cast.carol
        )
    assert set(invalid.value.message_dict) == {"kind", "title", "body"}
    assert refusal_codes(invalid.value) == ["reply_kind", "required", "required"]
    assert not ReplyTemplate.objects.exists()


# --- management page -----------------------------------------------------------------------


def test_managers_reach_the_page_others_get_403_or_404(client: Client, cast: Cast) -> None:
    _supplement(cast)
    for user in (cast.carol, cast.erin):
        client.force_login(user)
        response = client.get("/workspace/replies/")
        assert response.status_code == 200
        assert "Thiếu giấy tờ chủ hộ" in response.content.decode()
    for user in (cast.alice, cast.bob, cast.dave):
        client.force_login(user)
        assert client.get("/workspace/replies/").status_code == 403
        assert client.post("/workspace/replies/", {}).status_code == 403
    for user in (cast.henry, cast.oscar):
        client.force_login(user)
        assert client.get("/workspace/replies/").status_code == 404
    client.logout()
    assert client.get("/workspace/replies/")["Location"].startswith("/workspace/login/")


def test_the_top_bar_links_the_page_for_managers_only(
    client: Client, cast: Cast, received: Dossier
) -> None:
    link = 'href="/workspace/replies/"'
    client.force_login(cast.carol)
    assert link in client.get(f"/workspace/dossiers/{received.code}/").content.decode()
    client.force_login(cast.bob)
    assert link not in client.get(f"/workspace/dossiers/{received.code}/").content.decode()


def test_a_manager_adds_edits_and_deactivates_through_the_page(client: Client, cast: Cast) -> None:
    client.force_login(cast.carol)
    response = client.post(
        "/workspace/replies/",
        {"kind": ReplyKind.REFUSAL, "title": "Sai thẩm quyền", "body": REFUSAL_TEXT},
    )
    assert response.status_code == 302
    template = ReplyTemplate.objects.get()
    assert (template.agency, template.kind, template.created_by) == (
        cast.agency,
        ReplyKind.REFUSAL,
        cast.carol,
    )
    response = client.post(
        f"/workspace/replies/{template.pk}/",
        {"kind": ReplyKind.REFUSAL, "title": "", "body": "Mới"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field-error"' in page and "Mới</textarea>" in page  # input kept
    response = client.post(
        f"/workspace/replies/{template.pk}/",
        {"kind": ReplyKind.REFUSAL, "title": "Không thuộc thẩm quyền", "body": "Mới"},
    )
    assert response.status_code == 302
    assert client.post(f"/workspace/replies/{template.pk}/deactivate/").status_code == 302
    template.refresh_from_db()
    assert (template.title, template.body, template.active) == (
        "Không thuộc thẩm quyền",
        "Mới",
        False,
    )
    assert template.events.count() == 3


def test_a_template_of_another_agency_is_a_404(client: Client, cast: Cast) -> None:
    template = _supplement(cast)
    judy = make_user("judy", (Role.HEAD_OF_DEPARTMENT, cast.other_agency))
    client.force_login(judy)
    assert client.get("/workspace/replies/").status_code == 200
    assert "Thiếu giấy tờ chủ hộ" not in client.get("/workspace/replies/").content.decode()
    edit = {"kind": ReplyKind.SUPPLEMENT, "title": "Hacked", "body": "Hacked"}
    assert client.post(f"/workspace/replies/{template.pk}/", edit).status_code == 404
    assert client.post(f"/workspace/replies/{template.pk}/deactivate/").status_code == 404
    template.refresh_from_db()
    assert template.active and template.title == "Thiếu giấy tờ chủ hộ"


# --- use on the dossier page ---------------------------------------------------------------


@pytest.fixture
def processing(cast: Cast, received: Dossier) -> Dossier:
    services.forward(received, actor=cast.alice)
    received.refresh_from_db()
    return received


def _supplement_form(response: Any) -> Any:
    return dict((n, f) for n, _, f in response.context["action_forms"])["request_supplement"]


def test_the_supplement_form_offers_the_agencys_active_templates_only(
    client: Client, cast: Cast, processing: Dossier
) -> None:
    offered = _supplement(cast)
    retired = _supplement(cast, title="Mẫu cũ")
    replies.deactivate_template(retired, actor=cast.carol)
    replies.create_template(
        agency=cast.agency, kind=ReplyKind.REFUSAL, title="Từ chối", body="X", actor=cast.carol
    )
    judy = make_user("judy", (Role.HEAD_OF_DEPARTMENT, cast.other_agency))
    replies.create_template(
        agency=cast.other_agency, kind=ReplyKind.SUPPLEMENT, title="Của cơ quan khác",
        body="X", actor=judy,
    )  # fmt: skip
    client.force_login(cast.bob)
    response = client.get(f"/workspace/dossiers/{processing.code}/")
    choices = [label for _, label in _supplement_form(response).fields["template"].choices]
    assert choices == ["—", offered.title]
    page = response.content.decode()
    assert 'data-reply-target="id_request_supplement_items"' in page
    assert "data-body=" in page and "workspace/replies.js" in page


def test_without_javascript_the_chosen_template_fills_empty_items(
    client: Client, cast: Cast, processing: Dossier
) -> None:
    template = _supplement(cast)
    client.force_login(cast.bob)
    response = client.post(
        f"/workspace/dossiers/{processing.code}/act/request_supplement/",
        {"revision": processing.revision, "template": str(template.pk), "items": ""},
    )
    assert response.status_code == 302
    processing.refresh_from_db()
    assert processing.status == Status.SUPPLEMENT_REQUESTED
    assert processing.events.latest("pk").data["items"] == SUPPLEMENT_TEXT.splitlines()


def test_typed_items_win_over_the_template(client: Client, cast: Cast, processing: Dossier) -> None:
    template = _supplement(cast)
    client.force_login(cast.bob)
    client.post(
        f"/workspace/dossiers/{processing.code}/act/request_supplement/",
        {"revision": processing.revision, "template": str(template.pk), "items": "Sửa lại"},
    )
    processing.refresh_from_db()
    assert processing.events.latest("pk").data["items"] == ["Sửa lại"]


def test_another_agencys_template_cannot_be_posted(
    client: Client, cast: Cast, processing: Dossier
) -> None:
    judy = make_user("judy", (Role.HEAD_OF_DEPARTMENT, cast.other_agency))
    foreign = replies.create_template(
        agency=cast.other_agency, kind=ReplyKind.SUPPLEMENT, title="Khác", body="Bí mật",
        actor=judy,
    )  # fmt: skip
    _supplement(cast)
    client.force_login(cast.bob)
    response = client.post(
        f"/workspace/dossiers/{processing.code}/act/request_supplement/",
        {"revision": processing.revision, "template": str(foreign.pk), "items": ""},
    )
    assert response.status_code == 400
    assert "template" in _supplement_form(response).errors
    processing.refresh_from_db()
    assert processing.status == Status.PROCESSING


# --- use at the desk -----------------------------------------------------------------------


def _refusal_post(case: Case, **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_name": "Trần Thị Hoa",
        "channel": "in_person",
        "reasons": "",
        "do": "refuse",
        **extra,
    }
    for d in case.documents.all():
        data[f"copies_{d.pk}"] = d.copies
    return data


def test_the_desk_refuses_with_a_template_when_no_reason_is_typed(
    client: Client, cast: Cast, case: Case
) -> None:
    template = replies.create_template(
        agency=cast.agency, kind=ReplyKind.REFUSAL, title="Sai thẩm quyền",
        body=REFUSAL_TEXT, actor=cast.carol,
    )  # fmt: skip
    client.force_login(cast.alice)
    page = client.get(f"/workspace/reception/{case.pk}/").content.decode()
    assert 'data-reply-target="id_reasons"' in page and "Sai thẩm quyền" in page
    response = client.post(
        f"/workspace/reception/{case.pk}/", _refusal_post(case, reply_template=str(template.pk))
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.NOT_ACCEPTED
    assert dossier.events.latest("pk").data["reasons"] == [REFUSAL_TEXT]


def test_a_refusal_with_neither_reason_nor_template_is_refused(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    response = client.post(f"/workspace/reception/{case.pk}/", _refusal_post(case))
    assert response.status_code == 400
    assert "reasons" in response.context["form"].errors
    assert not Dossier.objects.exists()
