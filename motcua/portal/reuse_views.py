"""The log of re-uses of the signed-in person's digitised papers, and its export
(``/ho-so-cua-toi/giay-to-so-hoa/``): thin views over ``reuse_log``."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.portal import reuse_log
from motcua.portal.mine_views import _no_store, _user, citizen_required

FORMATS = {
    "csv": ("text/csv; charset=utf-8", reuse_log.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        reuse_log.as_xlsx,
    ),
}


@require_GET
@citizen_required
def reuse_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {"lines": reuse_log.lines(user, reuse_log.PAGE_LIMIT), "limit": reuse_log.PAGE_LIMIT}
    return _no_store(render(request, "portal/mine_reuses.html", context))


@require_GET
@citizen_required
def reuse_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        return HttpResponse(status=404)
    content_type, build = FORMATS[fmt]
    response = HttpResponse(build(_user(request)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="giay-to-so-hoa-su-dung-lai.{fmt}"'
    return _no_store(response)
