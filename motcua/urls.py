from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from motcua.health import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/workspace/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("motcua.api")),
    path("workspace/", include("motcua.workspace.urls")),
]
