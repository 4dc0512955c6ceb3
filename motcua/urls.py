from django.contrib import admin
from django.urls import include, path

from motcua.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("motcua.api")),
    path("workspace/", include("motcua.workspace.urls")),
    # The citizens' portal at the root: /, /thu-tuc/, /tra-cuu/<code>, /cong-khai/.
    path("", include("motcua.portal.urls")),
]
