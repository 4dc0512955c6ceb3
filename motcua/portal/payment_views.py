"""Online payment on the portal: "Thanh toán trực tuyến" on the applicant's dossier page sends
them to the gateway; the gateway's return page shows the verified result (a tampered return
URL is refused, and said so); the electronic receipt as PDF. The services decide; the IPN that
confirms a payment is ``motcua.payments.ipn``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers.queries import own_dossier
from motcua.errors import refusal_errors
from motcua.payments import queries, services
from motcua.payments.receipt import receipt_pdf
from motcua.portal.mine_views import _no_store, _user, citizen_required


@require_POST
@citizen_required
def pay(request: HttpRequest, code: str) -> HttpResponseBase:
    """Open a payment of what the dossier owes and go to the gateway."""
    dossier = own_dossier(request.user, code)
    try:
        _payment, url = services.start_payment(
            dossier,
            payer=_user(request),
            return_url=request.build_absolute_uri(reverse("portal:payment_return")),
            ip_address=request.META.get("REMOTE_ADDR", ""),
            locale="vn" if (get_language() or "vi").startswith("vi") else "en",
        )
    except (ValidationError, PermissionDenied) as refused:
        for problem in refusal_errors(refused):
            messages.error(request, problem["message"])
        return redirect("portal:mine_dossier", code=dossier.code)
    return redirect(url)


@require_GET
def payment_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the browser back. The signature is checked; a tampered or
    unsigned address is refused with a clear message and logged. The dossier's link is shown
    to its owner only."""
    params = {key: request.GET.get(key, "") for key in request.GET}
    shown = services.handle_return(params)
    if not shown.verified or shown.payment is None:
        return render(request, "portal/payment_return.html", {"refused": True}, status=400)
    payment = shown.payment
    owner = request.user.is_authenticated and payment.dossier.owner_id == request.user.pk
    context = {
        "refused": False,
        "payment": payment,
        "succeeded": shown.succeeded,
        "cancelled": shown.response_code == "24",
        "owner": owner,
    }
    return _no_store(render(request, "portal/payment_return.html", context))


@require_GET
@citizen_required
def receipt(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """The electronic receipt of one of the owner's payments."""
    dossier = own_dossier(request.user, code)
    payment = queries.receipt_of(dossier, number)
    if payment is None:
        raise Http404(number)
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{number}.pdf"'
    return _no_store(response)
