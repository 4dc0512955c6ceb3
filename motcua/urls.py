from django.contrib import admin
from django.urls import include, path

from motcua.health import healthz, readyz
from motcua.payments.ipn import vnpay_ipn
from motcua.portal import oidc

# A path under /api/ that no route matches answers with the API's error body, not a page.
handler404 = "motcua.api.not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The payment gateway's server-to-server notice (a signed GET, no session: docs/payments.md).
    path("api/v1/payments/vnpay/ipn", vnpay_ipn, name="payment-vnpay-ipn"),
    path("api/v1/", include("motcua.api")),
    # The PAR index self-assessment's screens (issue 16 item 4, docs/par.md).
    path("workspace/par/", include("motcua.par.urls")),
    path("workspace/", include("motcua.workspace.urls")),
    # OpenID Connect sign-in for the portal (404 while no provider is configured).
    path("oidc/authenticate/", oidc.start, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.callback, name="oidc_authentication_callback"),
    # The citizens' portal at the root: /, /thu-tuc/, /tra-cuu/<code>, /cong-khai/.
    path("", include("motcua.portal.urls")),
]
