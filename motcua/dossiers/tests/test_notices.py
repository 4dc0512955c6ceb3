"""Notices to the applicant: receipt, supplement request, payment request, apology, result
ready, result handed to the post and refusal each queue one message per channel the applicant
chose, from the engine's events, delivered after commit; nothing for an action that rolls
back."""

from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.notifications.models import Notification
from motcua.notifications.sms import LocmemSmsBackend
from motcua.testing import Cast

Capture = Callable[..., Any]
CODE = "H56.22-260302-0001"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture(autouse=True)
def locmem_sms(settings: Any) -> Iterator[list[tuple[str, str]]]:
    settings.SMS_BACKEND = "motcua.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    yield LocmemSmsBackend.outbox


def _receive(cast: Cast, case: Case, *, email: bool = True, sms: bool = True) -> Dossier:
    entered = complete_intake(case)
    applicant = replace(entered.applicant, notify_by_email=email, notify_by_sms=sms)
    entered = replace(entered, applicant=applicant)
    return intake.receive_new_dossier(
        entered, agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )


def _notices(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("channel", "address"))


def _one(kind: str, channel: str = "email") -> Notification:
    return Notification.objects.get(kind=kind, channel=channel)


def _to_the_leader(cast: Cast, dossier: Dossier) -> None:
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.forward(dossier, actor=cast.bob, now=at("2026-03-03T10:00"))
    services.forward(dossier, actor=cast.carol, now=at("2026-03-04T10:00"))


def test_receipt_tells_the_applicant_by_e_mail_and_sms(cast: Cast, case: Case) -> None:
    _receive(cast, case)
    assert _notices("received") == [("email", "binh@example.vn"), ("sms", "0912345678")]
    notice = _one("received")
    assert notice.dossier_code == CODE
    assert notice.subject == f"Hồ sơ {CODE} đã được tiếp nhận"
    assert "09:00 09/03/2026" in notice.body  # the appointment
    assert notice.dedupe_key.startswith(f"received:{CODE}:e")


def test_only_the_channels_chosen_at_the_desk_are_used(cast: Cast, case: Case) -> None:
    _receive(cast, case, sms=False)
    assert _notices("received") == [("email", "binh@example.vn")]


def test_no_channel_chosen_means_no_notice(cast: Cast, case: Case) -> None:
    _receive(cast, case, sms=False, email=False)
    assert not Notification.objects.exists()


def test_a_channel_without_an_address_is_skipped(cast: Cast, case: Case) -> None:
    entered = complete_intake(case)
    entered = replace(entered, applicant=replace(entered.applicant, email=""))
    intake.receive_new_dossier(
        entered, agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    assert _notices("received") == [("sms", "0912345678")]


def test_an_online_dossier_follows_the_choice_on_the_portal_account(cast: Cast, case: Case) -> None:
    """henry chose SMS only on his account; the desk receives his online dossier."""
    cast.henry.notify_by_email = False
    cast.henry.save(update_fields=["notify_by_email"])
    dossier = intake.submit_online(
        complete_intake(case, "online"), agency=cast.agency, actor=cast.henry,
        now=at("2026-03-02T08:00"),
    )  # fmt: skip
    assert not Notification.objects.exists()  # submitting is not receipt
    services.receive(dossier, actor=cast.alice, now=at("2026-03-02T09:00"))
    assert _notices("received") == [("sms", "0912345678")]
    assert _one("received", "sms").recipient == cast.henry


def test_a_supplement_request_lists_what_is_missing(cast: Cast, case: Case) -> None:
    dossier = _receive(cast, case, sms=False)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.request_supplement(
        dossier, actor=cast.bob, items=["Bản sao CCCD của chủ hộ"], now=at("2026-03-03T09:00")
    )
    notice = _one("supplement_requested")
    assert notice.subject == f"Hồ sơ {CODE}: đề nghị bổ sung hồ sơ"
    assert "Bản sao CCCD của chủ hộ" in notice.body


def test_a_payment_request_gives_the_amount_and_why(cast: Cast, case: Case) -> None:
    dossier = _receive(cast, case, sms=False)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.request_payment(
        dossier, actor=cast.bob, amount=Decimal(250000), reason="Tiền sử dụng đất",
        now=at("2026-03-03T09:00"),
    )  # fmt: skip
    notice = _one("payment_requested")
    assert "250.000" in notice.body
    assert "Tiền sử dụng đất" in notice.body


def test_an_apology_gives_the_new_return_date(cast: Cast, case: Case) -> None:
    dossier = _receive(cast, case, sms=False)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.extend(
        dossier, actor=cast.carol, reason="Chờ xác minh", new_return_at=at("2026-03-13T16:00"),
        now=at("2026-03-05T08:00"),
    )  # fmt: skip
    notice = _one("apology")
    assert notice.subject == f"Hồ sơ {CODE}: thư xin lỗi và hẹn lại ngày trả kết quả"
    assert "16:00 13/03/2026" in notice.body
    assert "Chờ xác minh" in notice.body


def test_an_apology_goes_only_in_the_channel_chosen(
    cast: Cast, case: Case, locmem_sms: list[tuple[str, str]],
    django_capture_on_commit_callbacks: Capture,
) -> None:  # fmt: skip
    """The notice with the new date, sent without anyone asking: SMS chosen, e-mail not (though
    the dossier has the address), so an SMS and no e-mail."""
    dossier = _receive(cast, case, email=False)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    mail.outbox.clear()
    locmem_sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.extend(
            dossier, actor=cast.carol, reason="Chờ xác minh", new_return_at=at("2026-03-13T16:00"),
            now=at("2026-03-05T08:00"),
        )  # fmt: skip
    assert _notices("apology") == [("sms", "0912345678")]
    [(phone, text)] = locmem_sms
    assert phone == "0912345678" and "16:00 13/03/2026" in text
    assert mail.outbox == []


def _posted_result(cast: Cast, case: Case, *, email: bool = True, sms: bool = True) -> Dossier:
    """Received to be returned by post, fee paid, approved and handed to the post with item
    EB123456789VN on Wednesday 4 March 14:00."""
    entered = complete_intake(case)
    entered = replace(
        entered,
        applicant=replace(entered.applicant, notify_by_email=email, notify_by_sms=sms),
        return_method="post",
        postal_address="Số 12 đường Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh",
    )
    dossier = intake.receive_new_dossier(
        entered, agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.collect_fee(
        dossier, actor=cast.alice, amount=Decimal(100000), receipt="0000123", method="cash",
        now=at("2026-03-02T09:05"),
    )  # fmt: skip
    _to_the_leader(cast, dossier)
    services.approve(dossier, actor=cast.dave, result="GCN 123", now=at("2026-03-04T09:00"))
    assert not Notification.objects.filter(kind="result_posted").exists()
    return services.hand_to_post(
        dossier, actor=cast.alice, tracking_number="eb123456789vn", now=at("2026-03-04T14:00")
    )


def test_the_hand_over_to_the_post_gives_the_postal_item_number(cast: Cast, case: Case) -> None:
    _posted_result(cast, case)
    assert _notices("result_posted") == [("email", "binh@example.vn"), ("sms", "0912345678")]
    notice = _one("result_posted")
    assert notice.subject == f"Hồ sơ {CODE}: kết quả đã được gửi qua bưu chính công ích"
    assert notice.body == (
        f"{cast.agency.name} đã chuyển kết quả giải quyết hồ sơ {CODE} (Đăng ký thành lập hộ "
        "kinh doanh) cho bưu chính công ích lúc 14:00 04/03/2026. Số hiệu bưu gửi: "
        "EB123456789VN."
    )
    assert notice.dedupe_key.startswith(f"result_posted:{CODE}:e")
    assert notice.dedupe_key.endswith(":email")


def test_the_postal_notice_goes_only_in_the_channel_chosen(
    cast: Cast, case: Case, locmem_sms: list[tuple[str, str]],
    django_capture_on_commit_callbacks: Capture,
) -> None:  # fmt: skip
    """E-mail chosen, SMS not (though the dossier has the phone): an e-mail, no SMS."""
    with django_capture_on_commit_callbacks(execute=True):
        _posted_result(cast, case, sms=False)
    assert _notices("result_posted") == [("email", "binh@example.vn")]
    assert [m.subject for m in mail.outbox if "bưu chính" in m.subject] == [
        f"Hồ sơ {CODE}: kết quả đã được gửi qua bưu chính công ích"
    ]
    assert "EB123456789VN" in mail.outbox[-1].body
    assert locmem_sms == []


def test_the_approved_result_is_ready_to_collect(cast: Cast, case: Case) -> None:
    dossier = _receive(cast, case, sms=False)
    _to_the_leader(cast, dossier)
    assert not Notification.objects.filter(kind="result_ready").exists()
    services.approve(dossier, actor=cast.dave, result="GCN 123", now=at("2026-03-05T10:00"))
    notice = _one("result_ready")
    assert notice.subject == f"Hồ sơ {CODE}: đã có kết quả"
    assert cast.agency.name in notice.body  # collect it at the desk


def test_a_refusal_at_the_desk_gives_its_reasons(cast: Cast, case: Case) -> None:
    intake.refuse_at_desk(
        complete_intake(case), agency=cast.agency, actor=cast.alice,
        reasons=["Không thuộc thẩm quyền"], now=at("2026-03-02T09:00"),
    )  # fmt: skip
    assert _notices("refused") == [("email", "binh@example.vn"), ("sms", "0912345678")]
    assert "Không thuộc thẩm quyền" in _one("refused").body


def test_forwarding_tells_the_applicant_nothing(cast: Cast, case: Case) -> None:
    dossier = _receive(cast, case)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    assert set(Notification.objects.values_list("kind", flat=True)) == {"received"}


def test_notices_go_out_after_commit_by_mail_and_sms(
    cast: Cast, case: Case, locmem_sms: list[tuple[str, str]],
    django_capture_on_commit_callbacks: Capture,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _receive(cast, case)
        assert mail.outbox == [] and locmem_sms == []
    [message] = mail.outbox
    assert message.to == ["binh@example.vn"]
    assert message.subject == f"Hồ sơ {CODE} đã được tiếp nhận"
    [(phone, text)] = locmem_sms
    assert phone == "0912345678" and CODE in text
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_or_sent_when_the_action_rolls_back(
    locmem_sms: list[tuple[str, str]],
) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    with pytest.raises(RuntimeError), transaction.atomic():
        _receive(cast, case)
        raise RuntimeError("the desk's transaction fails")
    assert not Notification.objects.exists()
    assert mail.outbox == [] and locmem_sms == []
