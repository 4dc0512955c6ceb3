"""Online payments in the workspace, for the agencies' leaders (``permissions.PAYMENT_ROLES``):
the daily settlement comparisons with the gateway (``/workspace/payments/``) and each run's
unmatched transactions, and the payments due a refund with the button that makes it (the
receiving agency's leaders only, ``payments.refunds``). A leader sees the mismatches of
dossiers their agencies received; a system administrator sees every one, those the gateway
alone knows included, but refunds nothing; anyone else gets 403 (docs/payments.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.models import User
from motcua.accounts.permissions import (
    can_oversee_payments,
    payment_agency_ids,
    refund_agency_ids,
)
from motcua.errors import Conflict, refusal_errors
from motcua.payments import queries, refunds
from motcua.payments.models import Payment, SettlementRun


def _scope(request: HttpRequest) -> set[int] | None:
    if not can_oversee_payments(request.user):
        raise PermissionDenied(_("You may not oversee online payments."))
    return payment_agency_ids(request.user)


@login_required
@require_GET
def payments_page(request: HttpRequest) -> HttpResponse:
    """The latest settlement comparisons, each with the mismatches the reader may see."""
    scope = _scope(request)
    due = queries.refunds_due(refund_agency_ids(request.user))
    return render(
        request,
        "workspace/payments.html",
        {
            "runs": queries.settlement_runs(scope),
            "all_agencies": scope is None,
            "refunds_due": [(p, refunds.GROUNDS[g]) for p, g in due],
        },
    )


@login_required
@require_POST
def refund(request: HttpRequest, payment_id: int) -> HttpResponse:
    """Refund one payment through the gateway (``refunds.refund_payment`` checks who and why)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    payment = get_object_or_404(Payment.objects.select_related("dossier"), pk=payment_id)
    try:
        refunds.refund_payment(payment, actor=user)
    except (ValidationError, Conflict) as refused:
        messages.error(request, " ".join(p["message"] for p in refusal_errors(refused)))
    else:
        messages.success(
            request,
            _("Payment %(txn)s of dossier %(code)s is refunded.")
            % {"txn": payment.txn_ref, "code": payment.dossier.code},
        )
    return redirect("workspace:payments")


@login_required
@require_GET
def settlement_run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    """One comparison: the gateway's and our view of each unmatched transaction."""
    scope = _scope(request)
    run = get_object_or_404(SettlementRun, pk=run_id)
    return render(
        request,
        "workspace/settlement_run.html",
        {
            "run": run,
            "mismatches": queries.settlement_mismatches(run, scope),
            "all_agencies": scope is None,
        },
    )
