"""The ``/api/v1/`` router: each app registers its viewsets here."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter

from motcua import errors
from motcua.accounts import api as accounts_api
from motcua.catalogue import api as catalogue_api
from motcua.dossiers import api as dossiers_api
from motcua.dossiers import print_views
from motcua.dossiers import upload_api as uploads_api
from motcua.portal import api as portal_api
from motcua.portal import signature_api
from motcua.reports import api as reports_api
from motcua.workdays import api as workdays_api

# Routes answer with or without a trailing slash (/calendars/VN/due?… as documented).
router = DefaultRouter()
router.trailing_slash = "/?"
accounts_api.register(router)
workdays_api.register(router)
catalogue_api.register(router)
dossiers_api.register(router)
uploads_api.register(router)
reports_api.register(router)


@extend_schema(responses={(200, "application/pdf"): bytes})
@api_view(["GET"])
def dossier_form(request: Request, code: str, name: str) -> HttpResponse:
    """A form of a dossier as PDF, to those who may read the dossier: by kind (``receipt``,
    ``supplement``, ``refusal``, ``apology``, ``stop-notice``, ``control-sheet``) or by its
    number in the numbering in force (``1``…``6``; the control sheet is 6 in the 2025
    numbering, 5 in the 2018 one)."""
    request.user  # noqa: B018 - authenticate (session or Basic); DRF passes the user down
    return print_views.form_pdf(request._request, code, name)


@extend_schema(
    responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
)
@api_view(["GET"])
def ledger(request: Request) -> HttpResponse:
    """The dossier ledger (Form 07; 06 in the 2018 numbering) as XLSX: ``field``, ``start``,
    ``end``, ``agency``?."""
    request.user  # noqa: B018 - authenticate (session or Basic); DRF passes the user down
    return print_views.ledger_view(request._request)


@extend_schema(responses={(200, "application/pdf"): bytes})
@api_view(["GET"])
def ledger_pdf(request: Request) -> HttpResponse:
    """The dossier ledger (Form 07; 2018: 06) as PDF, with the XLSX's parameters and
    permissions."""
    request.user  # noqa: B018 - authenticate (session or Basic); DRF passes the user down
    return print_views.ledger_pdf_view(request._request)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: under ``/api/`` the API's error body (docs/errors.md, code ``not_found``)
    for a path no route matches, as its views answer; elsewhere Django's page."""
    if request.path.startswith("/api/"):
        problem = errors.Problem(code="not_found", message=_("Not found."))
        return JsonResponse(errors.body([problem]), status=404)
    return defaults.page_not_found(request, exception)


urlpatterns = [
    path("dossiers/<str:code>/forms/<str:name>.pdf", dossier_form, name="dossier-form"),
    path("ledger.xlsx", ledger, name="ledger"),
    path("ledger.pdf", ledger_pdf, name="ledger-pdf"),
    path("public/track/<str:code>", portal_api.PublicTrackView.as_view(), name="public-track"),
    path(
        "public/signatures/verify",
        signature_api.SignatureCheckView.as_view(),
        name="public-signature-check",
    ),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from its own URL (docs/?script), not
    # inline: the Content Security Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
