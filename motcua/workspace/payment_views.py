"""Online payments in the workspace, for the agencies' leaders (``permissions.PAYMENT_ROLES``):
the daily settlement comparisons with the gateway (``/workspace/payments/``) and each run's
unmatched transactions. A leader sees the mismatches of dossiers their agencies received; a
system administrator sees every one, those the gateway alone knows included; anyone else gets
403 (docs/payments.md)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.accounts.permissions import can_oversee_payments, payment_agency_ids
from motcua.payments import queries
from motcua.payments.models import SettlementRun


def _scope(request: HttpRequest) -> set[int] | None:
    if not can_oversee_payments(request.user):
        raise PermissionDenied(_("You may not oversee online payments."))
    return payment_agency_ids(request.user)


@login_required
@require_GET
def payments_page(request: HttpRequest) -> HttpResponse:
    """The latest settlement comparisons, each with the mismatches the reader may see."""
    scope = _scope(request)
    return render(
        request,
        "workspace/payments.html",
        {"runs": queries.settlement_runs(scope), "all_agencies": scope is None},
    )


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
