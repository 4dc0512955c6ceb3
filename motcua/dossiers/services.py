"""Actions on existing dossiers. Each runs in one transaction, locks the dossier row (and checks
the revision the caller saw, when given), asks the workflow table whether the actor may take the
action from the current status, changes what the action changes, saves with ``update_fields``
and appends a ``DossierEvent``. Intake (creating dossiers) is in ``intake.py``."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, Role, User
from motcua.accounts.validators import validate_lines
from motcua.catalogue.money import format_vnd
from motcua.dossiers import extra_papers as extra_papers_rules
from motcua.dossiers import statutory
from motcua.dossiers.deadlines import classify_finished, iso
from motcua.dossiers.extra_paper_models import ExtraPaperSource
from motcua.dossiers.extra_papers import ExtraPaper
from motcua.dossiers.intake import start_clock
from motcua.dossiers.models import (
    MAX_POSTAL_TRACKING,
    Dossier,
    DossierStep,
    PaymentMethod,
    ReturnMethod,
    StepStatus,
)
from motcua.dossiers.recipients import forward_recipients, transfer_agencies
from motcua.dossiers.signatures import SignedPdf, keep_signed_result
from motcua.dossiers.steps import approval_refusal, spec_of
from motcua.dossiers.transitions import (
    Change,
    acting,
    activate,
    close_current,
    insert_after,
    lock_for,
    next_step,
    required,
    system_acting,
)
from motcua.dossiers.workflow import ELECTRONIC_DELIVERY, Action, Status, target_status
from motcua.errors import invalid
from motcua.workdays import clock


def receive(
    dossier: Dossier,
    *,
    actor: User,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Receive an online submission (status 1) after checking it: the clock starts now."""
    with transaction.atomic():
        locked, _rule = lock_for(
            dossier, Action.RECEIVE, actor=actor, expected_revision=expected_revision
        )
        start_clock(locked, actor=actor, now=now or timezone.now(), old=Status.NEW, data={})
    dossier.refresh_from_db()
    return dossier


def forward(
    dossier: Dossier,
    *,
    actor: User,
    to: User | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Hand the dossier to the next step of its process (at another agency too: liên thông)."""
    with acting(
        dossier, Action.FORWARD, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        nxt = next_step(d, d.current_step)
        if nxt is None:
            raise invalid(
                "forward_at_last_step",
                _("This is the last step: approve the result or return it to the applicant."),
            )
        if nxt.role == Role.DESK_OFFICER and d.status == Status.PROCESSING:
            raise invalid(
                "forward_result_not_approved",
                _("The next step returns the result: the result must be approved and signed."),
            )
        eligible = forward_recipients(d, timezone.localdate(change.now))
        if to is None and nxt.assignee_id is not None:
            # A consulted agency hands back to the officer who asked (see ``transfer``).
            to = next((u for u in eligible if u.pk == nxt.assignee_id), None)
        if to is not None and all(u.pk != to.pk for u in eligible):
            raise ValidationError(
                {
                    "to": ValidationError(
                        _(
                            "%(user)s does not hold the next step's role (%(role)s) at "
                            "%(agency)s: choose one of the officers who do."
                        )
                        % {"user": to, "role": Role(nxt.role).label, "agency": nxt.agency.name},
                        code="forward_recipient_not_eligible",
                    )
                }
            )
        close_current(change, to=to, note=note)
        activate(change, nxt, to)
        d.status = target_status(change.rule, d.status)
        change.reason = note
    return dossier


def send_back(
    dossier: Dossier,
    *,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Return the dossier to the previous step (e.g. the leader finds the draft wrong). The
    previous step runs again with a fresh allowance; the current step is marked sent back."""
    reason = required(reason, "reason", _("Say why the dossier goes back."))
    with acting(
        dossier, Action.SEND_BACK, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        current = d.current_step
        previous = (
            d.steps.filter(position__lt=current.position, status=StepStatus.DONE)
            .exclude(role=Role.DESK_OFFICER)
            .order_by("-position")
            .first()
            if current
            else None
        )
        if current is None or previous is None:
            raise invalid("no_earlier_step", _("There is no earlier processing step to return to."))
        close_current(change, status=StepStatus.SENT_BACK, note=reason)
        # The step runs again: a new row after the current one, so history keeps both runs.
        again = insert_after(d, current, previous.name, previous.agency, previous.role,
                              previous.unit, previous.allowance, previous.time_unit)  # fmt: skip
        activate(change, again, previous.assignee)
        change.reason = reason
    return dossier


def transfer(
    dossier: Dossier,
    *,
    actor: User,
    to_agency: Agency,
    allowance: Decimal,
    reason: str,
    step_name: str = "",
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Transfer to another agency (liên thông): a step at ``to_agency`` with ``allowance`` of
    the case's time unit is inserted after the current one and starts now, on that agency's
    calendar. ``to_agency`` must take part in the procedure (``recipients.transfer_agencies``).
    When the consulted agency hands it over, the dossier comes back to the officer who asked,
    in a new run of their step (with a fresh allowance, as after ``send_back``), and then goes
    on with the rest of its process. If the consulted step runs over, the lateness is that
    agency's (the control sheet, Form 06)."""
    reason = required(reason, "reason", _("Say what the other agency is asked to do."))
    _check_transfer_terms(to_agency, allowance, now)
    with acting(
        dossier, Action.TRANSFER, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        current = _step_to_transfer_from(d, to_agency, timezone.localdate(change.now))
        close_current(change, note=reason)
        step = _insert_consultation(d, current, to_agency, allowance, step_name, asker=actor)
        activate(change, step, None)
        change.reason = reason
        change.data["to_agency"] = to_agency.code
    return dossier


def _check_transfer_terms(to_agency: Agency, allowance: Decimal, now: dt.datetime | None) -> None:
    """A transfer gives the other agency some time, and that agency still exists."""
    if allowance <= 0:
        raise invalid(
            "allowance_not_positive", _("The time allowed must be more than zero."), "allowance"
        )
    if to_agency.valid_to is not None and to_agency.valid_to < timezone.localdate(now):
        raise invalid("agency_closed", _("That agency no longer exists."), "to_agency")


def _step_to_transfer_from(d: Dossier, to_agency: Agency, today: dt.date) -> DossierStep:
    """The dossier's current step, checked under lock: there is one, and ``to_agency`` is
    another agency taking part in the procedure (``recipients.transfer_agencies``)."""
    current = d.current_step
    if current is None:
        raise invalid("no_step_to_transfer", _("The dossier has no step to transfer from."))
    if to_agency.pk == current.agency_id:
        raise invalid(
            "transfer_to_current_agency", _("The dossier is already at that agency."), "to_agency"
        )
    if all(a.pk != to_agency.pk for a in transfer_agencies(d, today)):
        message = _("%(agency)s takes no part in this procedure: choose one that does.")
        raise invalid(
            "transfer_agency_not_taking_part", message % {"agency": to_agency.name}, "to_agency"
        )
    return current


def _insert_consultation(
    d: Dossier,
    current: DossierStep,
    to_agency: Agency,
    allowance: Decimal,
    step_name: str,
    *,
    asker: User,
) -> DossierStep:
    """The other agency's step after ``current``, then the hand-back: the asker's step runs
    again, waiting for them (``forward`` defaults to them and accepts no one else while they
    hold the role). Returns the other agency's step."""
    step = insert_after(d, current, step_name or _("Inter-agency processing"), to_agency,
                         Role.SPECIALIST, to_agency.short_name or to_agency.name,
                         allowance, d.case.time_unit)  # fmt: skip
    back = insert_after(d, step, current.name, current.agency, current.role, current.unit,
                         current.allowance, current.time_unit)  # fmt: skip
    back.assignee = asker
    back.save(update_fields=["assignee"])
    return step


def _pause(change: Change) -> None:
    d = change.dossier
    d.status_before_pause = d.status
    d.status = target_status(change.rule, d.status)
    if d.received_at is not None:
        d.paused_at = change.now
    change.data["paused_at"] = iso(change.now)


def _resume(change: Change) -> None:
    """Add the paused working time back to the dossier's and the current step's due instants.

    The time the applicant takes to supplement or to pay is not counted (Decree 118/2025 art.
    17(3)); we measure it as working time on each calendar and move the due instants forward
    by exactly that, so an officer never loses time to a pause. (One deployed system instead
    adds the calendar interval minus one day; see docs/dossiers.md.)"""
    d = change.dossier
    d.status = target_status(change.rule, d.status_before_pause)
    d.status_before_pause = ""
    if d.paused_at is None:
        return
    receiving_spec = spec_of(d.receiving_agency)
    paused = clock.working_time_between(d.paused_at, change.now, receiving_spec)
    data: dict[str, Any] = {
        "paused_from": iso(d.paused_at),
        "paused_to": iso(change.now),
        "paused_working_time": str(paused),
    }
    if d.due_at is not None:
        data["due_before"] = iso(d.due_at)
        d.due_at = clock.add_working_time(d.due_at, paused, receiving_spec)
        data["due_after"] = iso(d.due_at)
    step = d.current_step
    if step is not None and step.due_at is not None:
        step_spec = spec_of(step.agency)
        step_paused = clock.working_time_between(d.paused_at, change.now, step_spec)
        data["step_due_before"] = iso(step.due_at)
        step.due_at = clock.add_working_time(step.due_at, step_paused, step_spec)
        step.save(update_fields=["due_at"])
        data["step_due_after"] = iso(step.due_at)
    d.paused_for += paused
    d.paused_at = None
    change.data.update(data)
    change.reason = change.reason or _(
        "The clock was paused for %(time)s of working time; the due dates moved by as much."
    ) % {"time": str(paused)}


def request_supplement(
    dossier: Dossier,
    *,
    actor: User,
    items: list[str],
    reason: str = "",
    extra_papers: Sequence[ExtraPaper] = (),
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Form 02: ask the applicant for what is missing, item by item; the clock stops. While
    processing, the applicant is told once, completely: beyond ``MOTCUA_SUPPLEMENT_REQUESTS``
    a request needs the head of the agency's permission, recorded in the event for Form 02
    (``statutory.supplement_permission``). ``items`` name what is missing or wrong among the
    case's published documents; a paper outside that list goes in ``extra_papers`` with the
    legal basis the officer typed, or the request is refused (``extra_papers.py``)."""
    items = [i.strip() for i in items if i and i.strip()]
    papers = extra_papers_rules.clean(extra_papers)
    if not items and not papers:
        raise invalid("supplement_items_required", _("List at least one missing item."), "items")
    validate_lines(items, "items")  # Form 02 prints them all
    with acting(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=actor,
        now=now,
        expected_revision=expected_revision,
    ) as change:
        if change.old_status == Status.PROCESSING:
            permission = statutory.supplement_permission(change.dossier)
            change.data["request_number"] = statutory.supplement_requests(change.dossier) + 1
            if permission is not None:
                change.data["allowed_by"] = {
                    "name": _name(permission.actor),
                    "at": iso(permission.at),
                    "reason": permission.reason,
                }
        _pause(change)
        change.reason = reason
        change.data["items"] = items
        if papers:
            change.data["extra_papers"] = [p.as_dict() for p in papers]
            extra_papers_rules.record(
                change.dossier, papers, source=ExtraPaperSource.SUPPLEMENT, actor=actor,
                agency=change.dossier.current_agency, at=change.now,
            )  # fmt: skip
    return dossier


def allow_further_supplement(
    dossier: Dossier,
    *,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The head of the agency holding the dossier allows one more supplement request while it
    is processed, with the reason (the applicant is told once, completely: Decree 61/2018 as
    amended by Decree 107/2021, carried by Decree 118/2025; article to verify). Only when the
    requests allowed so far are used up; Form 02 of the request prints the permission."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the applicant must be asked again."),
                    code="further_supplement_reason",
                )
            }
        )
    with acting(
        dossier,
        Action.ALLOW_FURTHER_SUPPLEMENT,
        actor=actor,
        now=now,
        expected_revision=expected_revision,
    ) as change:
        d = change.dossier
        if not statutory.further_supplement_needed(d):
            raise ValidationError(
                _(
                    "Dossier %(code)s may still receive a supplement request without "
                    "permission: allow a further one only once those allowed are used."
                )
                % {"code": d.code},
                code="further_supplement_not_needed",
            )
        made = statutory.supplement_requests(d)
        change.reason = reason
        change.data.update({"requests_made": made, "signed_by": _name(actor)})
    return dossier


def _name(user: User | None) -> str:
    return (user.get_full_name() or str(user)) if user is not None else ""


def resubmit(
    dossier: Dossier,
    *,
    actor: User,
    note: str = "",
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The applicant has supplemented the dossier: the clock runs again, due instants moved."""
    with acting(
        dossier, Action.RESUBMIT, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        change.reason = note
        _resume(change)
    return dossier


def request_payment(
    dossier: Dossier,
    *,
    actor: User,
    amount: Decimal,
    reason: str,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Ask the applicant to fulfil a financial obligation (e.g. land levy); the clock stops."""
    reason = required(reason, "reason", _("Say what must be paid and why."))
    if amount <= 0:
        raise invalid("amount_not_positive", _("The amount must be more than zero."), "amount")
    with acting(
        dossier,
        Action.REQUEST_PAYMENT,
        actor=actor,
        now=now,
        expected_revision=expected_revision,
    ) as change:
        _pause(change)
        change.dossier.fees_due += amount
        change.reason = reason
        change.data["amount"] = str(amount)
    return dossier


def fees_owed(dossier: Dossier) -> Decimal:
    """What the applicant still owes: the case's fees and any financial obligation requested
    (``fees_due``) less what was paid (``fees_paid``), never below zero."""
    return max(dossier.fees_due - dossier.fees_paid, Decimal(0))


PAYMENT_ACTIONS = (Action.COLLECT_FEE, Action.CONFIRM_PAYMENT)


def _record_payment(change: Change, amount: Decimal, receipt: str, method: str) -> None:
    """A payment onto ``fees_paid`` and into the event: amount, receipt, method and the balance
    after it. Shared by fees collected at the desk and financial obligations met."""
    d = change.dossier
    if method and method not in PaymentMethod.values:
        raise ValidationError(
            {"method": ValidationError(_("Choose how the fee was paid."), code="payment_method")}
        )
    if receipt and d.events.filter(action__in=PAYMENT_ACTIONS, data__receipt=receipt).exists():
        raise ValidationError(
            {
                "receipt": ValidationError(
                    _("Receipt %(receipt)s is already recorded on this dossier.")
                    % {"receipt": receipt},
                    code="payment_receipt_recorded",
                )
            }
        )
    d.fees_paid += amount
    change.data.update(
        {
            "amount": str(amount),
            "receipt": receipt,
            "method": method,
            "fees_paid": str(d.fees_paid),
            "fees_owed": str(fees_owed(d)),
        }
    )


def collect_fee(
    dossier: Dossier,
    *,
    actor: User,
    amount: Decimal,
    receipt: str,
    method: str,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The desk records a fee or charge of the procedure collected from the applicant, with
    the receipt issued and how it was paid (the collecting body gives a receipt for every amount:
    Law on Fees and Charges 97/2015/QH13 and Decree 123/2020/NĐ-CP on invoices and receipts;
    article not checked against the text). No more than is owed; one receipt number once per
    dossier, so a form sent twice does not count the fee twice."""
    receipt = (receipt or "").strip()
    if not receipt:
        raise ValidationError(
            {"receipt": ValidationError(_("Enter the receipt number."), code="fee_receipt")}
        )
    if amount <= 0:
        raise ValidationError(
            {"amount": ValidationError(_("The amount must be more than zero."), code="fee_amount")}
        )
    if method not in PaymentMethod.values:
        raise ValidationError(
            {"method": ValidationError(_("Choose how the fee was paid."), code="payment_method")}
        )
    with acting(
        dossier, Action.COLLECT_FEE, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        owed = fees_owed(change.dossier)
        if amount > owed:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _("Only %(owed)s is owed on this dossier.") % {"owed": format_vnd(owed)},
                        code="fee_more_than_owed",
                    )
                }
            )
        _record_payment(change, amount, receipt, method)
    return dossier


def confirm_payment(
    dossier: Dossier,
    *,
    actor: User,
    amount: Decimal,
    receipt: str = "",
    method: str = "",
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The obligation is met: record the payment; the clock runs again."""
    if amount < 0:
        raise invalid("amount_negative", _("The amount cannot be negative."), "amount")
    with acting(
        dossier,
        Action.CONFIRM_PAYMENT,
        actor=actor,
        now=now,
        expected_revision=expected_revision,
    ) as change:
        _record_payment(change, amount, (receipt or "").strip(), method)
        _resume(change)
    return dossier


def extend(
    dossier: Dossier,
    *,
    actor: User,
    reason: str,
    new_return_at: dt.datetime,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Form 04: an apology with the reason and a new return date, signed by the head of the
    agency. ``due_at`` stays: lateness is still judged against the original appointment.

    The return date moves no more than once, and the apology is sent no later than one working
    day before the due date (Decree 61/2018 art. 19 as amended by Decree 107/2021; Decree
    118/2025 carries the rule, article to verify): ``statutory.extension_is_late`` refuses a
    second one and one too late; a dossier already past its due date still gets its one
    apology, recorded ``late``."""
    reason = required(reason, "reason", _("Give the reason for the delay."))
    with acting(
        dossier, Action.EXTEND, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        late = statutory.extension_is_late(d, change.now)
        floor = max(filter(None, [d.due_at, d.promised_at, change.now]))
        if new_return_at <= floor:
            raise invalid(
                "extension_date_too_early",
                _("The new return date must be after %(date)s.")
                % {"date": timezone.localtime(floor).strftime("%H:%M %d/%m/%Y")},
                "new_return_at",
            )
        change.data.update(
            {
                "original_due_at": iso(d.due_at) if d.due_at else None,
                "previous_promise": iso(d.promised_at) if d.promised_at else None,
                "new_return_at": iso(new_return_at),
                "signed_by": actor.get_full_name() or str(actor),
                "late": late,
            }
        )
        deadline = statutory.extension_deadline(d)
        if deadline is not None:
            change.data["extension_deadline"] = deadline.isoformat()
        d.promised_at = new_return_at
        change.reason = reason
    return dossier


def approve(
    dossier: Dossier,
    *,
    actor: User,
    result: str,
    signed_result: SignedPdf | None = None,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The holder of the last processing step (the leader who signs) approves the result, once
    every earlier step is done (``steps.approval_refusal``): processing is finished (status 9)
    and judged early / on time / late against the appointment; the result goes to the desk to
    return. With ``signed_result`` the signed PDF replaces the attached result and the
    signature is recorded on this event (``signatures.keep_signed_result``)."""
    result = required(result, "result", _("Describe the result (e.g. the permit's number)."))
    with transaction.atomic():
        _approve(dossier, actor, result, signed_result, now, expected_revision)
        if signed_result is not None and delivers_electronically(dossier):
            deliver_electronically(dossier, now=now)
    return dossier


def _approve(
    dossier: Dossier,
    actor: User,
    result: str,
    signed_result: SignedPdf | None,
    now: dt.datetime | None,
    expected_revision: int | None,
) -> None:
    with acting(
        dossier, Action.APPROVE, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        refusal = approval_refusal(d)
        if refusal is not None:
            raise refusal
        if signed_result is not None:
            keep_signed_result(change, signed_result)
        close_current(change)
        d.status = target_status(change.rule, d.status)
        d.finished_at = change.now
        d.result = result
        change.data["timeliness"] = classify_finished(change.now, d.due_at).value
        nxt = next_step(d, d.current_step)
        if nxt is not None:
            activate(change, nxt, None)
        else:
            d.current_step = None
            d.current_agency = d.receiving_agency


def delivers_electronically(dossier: Dossier) -> bool:
    """Whether the signed result of ``dossier``, just approved, goes straight into the
    applicant's account: the procedure issues its result electronically (the catalogue's
    flag), the applicant has an account ("Hồ sơ của tôi"), did not ask for the post, and owes
    no fee (else the desk returns it as usual, collecting the fee or sending the paper)."""
    return (
        dossier.status == Status.PROCESSED
        and dossier.version.result_electronic
        and dossier.owner_id is not None
        and dossier.return_method != ReturnMethod.POST
        and fees_owed(dossier) <= 0
    )


def deliver_electronically(dossier: Dossier, *, now: dt.datetime | None = None) -> Dossier:
    """Return the signed result electronically, by the system (the event has no actor): the
    dossier is returned (status 10) with the electronic method, so the owner downloads the
    result in "Hồ sơ của tôi" (``applicant.electronic_results``) and the reports count it as
    returned electronically (``rollup``; Decision 766's digitisation group)."""
    with system_acting(dossier, ELECTRONIC_DELIVERY, now=now or timezone.now()) as change:
        _close_return(change, method=ReturnMethod.ELECTRONIC, note="", unpaid_reason="")
        change.data["delivered"] = "electronic_result"
    return dossier


def _check_paid(change: Change, unpaid_reason: str) -> Decimal:
    """What is still owed on the dossier being returned: with a fee owed, the result leaves
    only with the reason (an exemption, payment left to the post…), recorded in the event."""
    owed = fees_owed(change.dossier)
    if owed > 0:
        if not unpaid_reason:
            raise ValidationError(
                {
                    "unpaid_reason": ValidationError(
                        _(
                            "%(owed)s of fees is not paid: collect it first, or say why "
                            "the result is returned without it."
                        )
                        % {"owed": format_vnd(owed)},
                        code="return_unpaid_fee",
                    )
                }
            )
        change.data.update({"fees_owed": str(owed), "unpaid_reason": unpaid_reason})
    return owed


def return_result(
    dossier: Dossier,
    *,
    actor: User,
    method: str,
    note: str = "",
    unpaid_reason: str = "",
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Hand the result to the applicant: at the desk, by post or into their electronic store.
    With a fee still owed, only with the reason (an exemption, payment left to the post…),
    recorded in the event with the amount owed."""
    if method not in ReturnMethod.values:
        raise invalid("return_method", _("Choose how the result is returned."), "method")
    unpaid_reason = (unpaid_reason or "").strip()
    with acting(
        dossier, Action.RETURN_RESULT, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        if method == ReturnMethod.POST and returns_by_post(d):
            raise invalid(
                "use_hand_to_post",
                _(
                    "Dossier %(code)s is returned by public post: record the hand-over to the "
                    "postal service with its postal item number."
                )
                % {"code": d.code},
                "method",
            )
        _close_return(change, method=method, note=note, unpaid_reason=unpaid_reason)
    return dossier


def _close_return(change: Change, *, method: str, note: str, unpaid_reason: str) -> None:
    """The closing steps of a return, shared by ``return_result`` and ``hand_to_post``: the fee
    paid or the reason it is not (``_check_paid``), the current step closed, the dossier
    returned (status 10) now by ``method``, the event's reason the note and, with a fee owed,
    that reason, and the method in the event's data."""
    d = change.dossier
    owed = _check_paid(change, unpaid_reason)
    close_current(change, note=note)
    d.current_step = None
    d.status = target_status(change.rule, d.status)
    d.returned_at = change.now
    d.return_method = method
    change.reason = "\n".join(text for text in (note, unpaid_reason if owed else "") if text)
    change.data["method"] = method


def returns_by_post(dossier: Dossier) -> bool:
    """Whether the applicant chose the public post for the result and gave the address."""
    return dossier.return_method == ReturnMethod.POST and bool(dossier.postal_address.strip())


def hand_to_post(
    dossier: Dossier,
    *,
    actor: User,
    tracking_number: str,
    note: str = "",
    unpaid_reason: str = "",
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The receiving desk hands the result of a dossier returned by public post (bưu chính
    công ích; Decision 17/2011/QĐ-TTg, Decree 118/2025 — article to verify) to the postal
    service: the postal item's number (số bưu gửi), the time and the officer are recorded and
    the hand-over is the return (status 10). Only for a dossier whose applicant chose the post
    and gave the address; once (the table allows it only from status 9). With a fee still
    owed, only with the reason, as ``return_result``."""
    tracking_number = " ".join((tracking_number or "").split()).upper()
    if not tracking_number:
        raise invalid(
            "postal_tracking_required",
            _("Enter the postal item number (số bưu gửi)."),
            "tracking_number",
        )
    if len(tracking_number) > MAX_POSTAL_TRACKING:
        raise invalid(
            "postal_tracking_too_long",
            _("The postal item number has at most %(n)s characters.") % {"n": MAX_POSTAL_TRACKING},
            "tracking_number",
        )
    note = (note or "").strip()
    unpaid_reason = (unpaid_reason or "").strip()
    with acting(
        dossier, Action.HAND_TO_POST, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        if not returns_by_post(d):
            raise invalid(
                "not_returned_by_post",
                _(
                    "Dossier %(code)s is not returned by public post: the applicant did not "
                    "choose it with an address."
                )
                % {"code": d.code},
            )
        _close_return(
            change, method=ReturnMethod.POST.value, note=note, unpaid_reason=unpaid_reason
        )
        d.posted_at = change.now
        d.postal_tracking_number = tracking_number
        change.data["tracking_number"] = tracking_number
    return dossier


def _end(
    dossier: Dossier,
    action: Action,
    *,
    actor: User,
    reason: str,
    now: dt.datetime | None,
    expected_revision: int | None,
) -> Dossier:
    with acting(
        dossier, action, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        close_current(change, status=StepStatus.CANCELLED, note=reason)
        d.current_step = None
        d.status = target_status(change.rule, d.status)
        d.finished_at = change.now
        d.paused_at = None
        change.reason = reason
    return dossier


def withdraw(
    dossier: Dossier,
    *,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The applicant withdraws the dossier (in writing at the desk, or online)."""
    reason = required(reason, "reason", _("Record the applicant's request."))
    return _end(dossier, Action.WITHDRAW, actor=actor, reason=reason, now=now,
                expected_revision=expected_revision)  # fmt: skip


def stop(
    dossier: Dossier,
    *,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """Stop processing with a notice to the applicant (the notice of stopping processing)."""
    reason = required(reason, "reason", _("Give the reason for stopping."))
    return _end(dossier, Action.STOP, actor=actor, reason=reason, now=now,
                expected_revision=expected_revision)  # fmt: skip
