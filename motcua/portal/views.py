"""The citizens' portal: find a procedure, track a dossier by code, publicity. Server-rendered,
Vietnamese first, no JavaScript; thin views over the reads in ``procedures``, ``tracking`` and
``publicity``."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalogue.models import OnlineLevel
from motcua.dossiers.access_log import retention_days
from motcua.portal import procedures, publicity, submission, tracking
from motcua.portal.forms import LEVELS, SearchForm, TrackForm
from motcua.portal.throttle import allow_lookup
from motcua.replica import reads_reports

PAGE_SIZE = 20


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """``/quyen-rieng-tu/``: what personal data is collected, why, for how long, the data
    subject's rights and whom to ask. Decree 13/2023/NĐ-CP asks that the data subject be told
    this before processing (art. 13, "to verify"); the rights listed are those of art. 9 ("to
    verify"); the registration page links here."""
    context = {"retention_days": retention_days(), "contact": settings.MOTCUA_PRIVACY_CONTACT}
    return render(request, "portal/privacy.html", context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "portal/home.html",
        {
            "form": SearchForm(today=today),
            "fields": procedures.fields_in_force(today),
            "levels": LEVELS,
            "track_form": TrackForm(),
        },
    )


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = SearchForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "portal/procedures.html", {"form": form}, status=400)
    page = Paginator(procedures.search(form.cleaned_data, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/procedures.html",
        {"form": form, "page": page, "query": query.urlencode(), "levels": LEVELS},
    )


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    found = procedures.procedure_page(code, timezone.localdate())
    if found is None:
        raise Http404(code)
    if isinstance(found, procedures.Gone):
        # 410 Gone: the procedure existed and a decision ended it; say which.
        return render(request, "portal/procedure_gone.html", {"gone": found}, status=410)
    return render(
        request,
        "portal/procedure.html",
        {
            "version": found.version,
            "agencies": found.agencies,
            "levels": LEVELS,
            "fully_online": found.version.online_level == OnlineLevel.FULL,
            "online": found.version.online_level in submission.ONLINE_LEVELS,
        },
    )


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "portal/track_limited.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _not_ours(request: HttpRequest, code: str, form: TrackForm) -> HttpResponse:
    """A code we do not know: the national portal's answer when it knows the code (received
    by another system), a clear message when it cannot be asked (503), else not found."""
    context = {"form": form, "code": code, "missing": True}
    national = tracking.national_look_up(code)
    if national is not None and national.dossier is not None:
        context |= {"missing": False, "national": national.dossier}
        return render(request, "portal/track.html", context)
    if national is not None and national.failed:
        context["national_failed"] = True
        return render(request, "portal/track.html", context, status=503)
    return render(request, "portal/track.html", context, status=404)


def _tracked(request: HttpRequest, code: str, pin: str) -> HttpResponse:
    """The answer for ``code`` (and ``pin``): one lookup counted against the address's rate;
    an unknown code and a wrong PIN get the same page and status."""
    allowed, wait = allow_lookup(request)
    if not allowed:
        return _too_many(request, wait)
    found = tracking.track(code, pin=pin, user=request.user)
    form = TrackForm(initial={"code": code})
    if found is None:
        return _not_ours(request, code, form)
    return render(request, "portal/track.html", {"form": form, "code": code, "dossier": found})


@require_http_methods(["GET", "POST"])
def track_form(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/``: the form. Posted with a PIN it answers at once (the PIN stays out of
    addresses and logs); without one it leads to ``/tra-cuu/<code>``."""
    if request.method == "GET":
        return render(request, "portal/track_form.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track_form.html", {"form": form}, status=400)
    code, pin = form.cleaned_data["code"].strip(), form.cleaned_data["pin"]
    if not pin:
        return redirect("portal:track", code=code)
    return _tracked(request, code, pin)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    """``/tra-cuu/<code>``: the public status; posted with the PIN, the personal part too."""
    pin = request.POST.get("pin", "")[:32] if request.method == "POST" else ""
    return _tracked(request, code, pin)


def _month(request: HttpRequest) -> publicity.Month:
    month = publicity.month_of(request.GET.get("thang", "")[:10], timezone.localdate())
    if month is None:
        raise Http404("month")
    return month


@require_GET
@reads_reports
def publicity_province(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    return render(
        request,
        "portal/publicity.html",
        {
            "figures": publicity.province(month),
            "months": publicity.recent_months(timezone.localdate()),
        },
    )


@require_GET
@reads_reports
def publicity_agency(request: HttpRequest, code: str) -> HttpResponse:
    agency = publicity.public_agency(code)
    if agency is None:
        raise Http404(code)
    month = _month(request)
    return render(
        request,
        "portal/publicity_agency.html",
        {
            "figures": publicity.agency_figures(agency, month),
            "months": publicity.recent_months(timezone.localdate()),
        },
    )
