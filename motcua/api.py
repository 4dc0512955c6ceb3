"""The ``/api/v1/`` router: each app registers its viewsets here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from motcua.accounts import api as accounts_api
from motcua.catalogue import api as catalogue_api
from motcua.dossiers import api as dossiers_api
from motcua.dossiers import print_views
from motcua.workdays import api as workdays_api

# Routes answer with or without a trailing slash (/calendars/VN/due?… as documented).
router = DefaultRouter()
router.trailing_slash = "/?"
accounts_api.register(router)
workdays_api.register(router)
catalogue_api.register(router)
dossiers_api.register(router)

urlpatterns = [
    path("dossiers/<str:code>/forms/<int:number>.pdf", print_views.form_pdf, name="dossier-form"),
    path("ledger.xlsx", print_views.ledger_view, name="ledger"),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
