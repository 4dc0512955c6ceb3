"""The gateway's server-to-server IPN at ``/api/v1/payments/vnpay/ipn``: a GET with the signed
``vnp_*`` parameters, as VNPay sends it, answered with JSON ``{"RspCode", "Message"}``. No
session, no CSRF token: the signature is the authentication."""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from motcua.payments import gateway, services

log = logging.getLogger(__name__)


@csrf_exempt
@never_cache
@require_GET
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    params = {key: request.GET.get(key, "") for key in request.GET}
    try:
        answer = services.handle_ipn(params)
    except Exception:  # the gateway gets VNPay's "other error" and retries, never a 500 page
        log.exception("IPN for %s failed", params.get("vnp_TxnRef", "?"))
        answer = gateway.ipn_answer(gateway.IPN_OTHER)
    return JsonResponse(answer)
