"""Agency administration in the workspace (``/workspace/admin/``): users and roles, internal
processes and calendar overrides of the agencies a user administers.

Access: every page goes through ``accounts.permissions`` — ``administered_agency_ids`` for the
index (a system administrator sees every agency), ``can_administer_agency`` for an agency's pages
(404 for any other agency, even by URL) and ``can_manage_calendar`` for calendar changes. Writes
go through the ``accounts`` services (calendars through ``accounts.calendars``) and the
``catalogue`` services, which check again and append their events; the views only parse, call
and render."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import calendars as workdays
from motcua.accounts import grants, permissions
from motcua.accounts import services as accounts
from motcua.accounts.models import Agency, Role, RoleAssignment, RoleGrantRequest, User
from motcua.catalogue import services as catalogue
from motcua.catalogue.models import (
    AssignmentRole,
    Case,
    InternalProcess,
    ProcedureAssignment,
    ProcedureVersion,
    TimeUnit,
    VersionStatus,
)
from motcua.workdays.calendars import calendar_chain
from motcua.workdays.models import CalendarOverride
from motcua.workspace import lockout
from motcua.workspace.agency_admin_forms import (
    BaseStepFormSet,
    DecisionForm,
    GrantForm,
    OfficerForm,
    OverrideForm,
    RemoveOverrideForm,
    StepFormSet,
    YearForm,
    temporary_password,
)
from motcua.workspace.forms import errors_into

# A system administrator administers every agency; the index lists at most this many.
INDEX_LIMIT = 200


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


def _agency(request: HttpRequest, code: str) -> Agency:
    """The agency ``code`` if the user administers it; a 404 otherwise, as for a guessed code."""
    agency = Agency.objects.select_related("calendar__parent").filter(code=code).first()
    if agency is None or not permissions.can_administer_agency(_user(request), agency):
        raise Http404("not an agency you administer")
    return agency


# --- index ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The agencies the user administers, each with links to its screens."""
    user = _user(request)
    agencies = Agency.objects.select_related("calendar").order_by("code")
    q = request.GET.get("q", "").strip()
    if not permissions.is_system_admin(user):
        ids = permissions.administered_agency_ids(user)
        if not ids:
            raise PermissionDenied(_("You do not administer any agency."))
        agencies = agencies.filter(pk__in=ids)
    if q:
        agencies = agencies.filter(Q(code__istartswith=q) | Q(name__icontains=q))
    listed = list(agencies[: INDEX_LIMIT + 1])
    return render(
        request,
        "workspace/admin/index.html",
        {
            "agencies": listed[:INDEX_LIMIT],
            "more": len(listed) > INDEX_LIMIT,
            "q": q,
            "to_decide": grants.requests_to_decide(user).count(),
            "system_admin": permissions.is_system_admin(user),
        },
    )


# --- users and roles -----------------------------------------------------------------------


@dataclass
class Member:
    """A user with the roles they hold in the agency."""

    user: User
    assignments: list[RoleAssignment] = field(default_factory=list)


def _members(agency: Agency) -> list[Member]:
    """Everyone holding a role in ``agency`` (in force or not), in one query."""
    members: dict[int, Member] = {}
    rows = (
        RoleAssignment.objects.filter(agency=agency)
        .select_related("user")
        .order_by("user__full_name", "user__username", "role")
    )
    for assignment in rows:
        members.setdefault(assignment.user_id, Member(assignment.user)).assignments.append(
            assignment
        )
    return list(members.values())


@dataclass
class PendingGrant:
    """A role grant awaiting confirmation, with whether the viewer may decide it."""

    request: RoleGrantRequest
    may_decide: bool


def _pending(user: User, agency_ids: set[int] | None) -> list[PendingGrant]:
    """The pending grants of the agencies ``agency_ids`` (all when ``None``), those the user
    may confirm or reject first (two queries)."""
    decidable = set(grants.requests_to_decide(user).values_list("pk", flat=True))
    rows = [PendingGrant(r, r.pk in decidable) for r in grants.pending_requests(agency_ids)]
    return sorted(rows, key=lambda row: not row.may_decide)


def _render_users(
    request: HttpRequest,
    agency: Agency,
    *,
    officer_form: OfficerForm | None = None,
    grant_form: GrantForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    members = _members(agency)
    context = {
        "agency": agency,
        "section": "users",
        "members": members,
        "locks": lockout.locked_usernames([m.user.username for m in members]),
        "pending": _pending(_user(request), {agency.pk}),
        "decision_form": DecisionForm(initial={"back": "users"}),
        "today": timezone.localdate(),
        "officer_form": officer_form or OfficerForm(auto_id="id_officer_%s"),
        "grant_form": grant_form or GrantForm(auto_id="id_grant_%s"),
        "error": error,
    }
    return render(request, "workspace/admin/users.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def users_page(request: HttpRequest, code: str) -> HttpResponse:
    return _render_users(request, _agency(request, code))


@login_required
@require_POST
def add_officer(request: HttpRequest, code: str) -> HttpResponse:
    """Create an official with a first role here. The password (typed or generated) is shown
    on the answer page once and kept nowhere else."""
    agency = _agency(request, code)
    form = OfficerForm(request.POST, auto_id="id_officer_%s")
    if not form.is_valid():
        return _render_users(request, agency, officer_form=form, status=400)
    data = form.cleaned_data
    generated = not data["password"]
    password = data["password"] or temporary_password()
    try:
        officer = accounts.create_officer(
            agency=agency,
            role=data["role"],
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            password=password,
            actor=_user(request),
        )
    except ValidationError as invalid:
        errors_into(form, invalid)
        return _render_users(request, agency, officer_form=form, status=400)
    except PermissionDenied as refused:
        return _render_users(request, agency, officer_form=form, error=str(refused), status=403)
    response = render(
        request,
        "workspace/admin/officer_created.html",
        {
            "agency": agency,
            "section": "users",
            "officer": officer,
            "pending": officer.role_requests.filter(agency=agency).exists(),
            "role": dict(form.fields["role"].choices)[data["role"]],  # type: ignore[attr-defined]
            "password": password if generated else "",
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def grant(request: HttpRequest, code: str) -> HttpResponse:
    """Give an existing user a role at this agency; a head of department or signing leader is
    requested and takes effect once a second person confirms it."""
    agency = _agency(request, code)
    form = GrantForm(request.POST, auto_id="id_grant_%s")
    if not form.is_valid():
        return _render_users(request, agency, grant_form=form, status=400)
    grantee = User.objects.filter(username__iexact=form.cleaned_data["username"]).first()
    if grantee is None:
        form.add_error(
            "username", ValidationError(_("No user has this username."), code="no_such_user")
        )
        return _render_users(request, agency, grant_form=form, status=400)
    role = form.cleaned_data["role"]
    if RoleAssignment.objects.filter(user=grantee, role=role, agency=agency).exists():
        message = _("This user already holds this role here.")
        form.add_error("role", ValidationError(message, code="role_already_held"))

        return _render_users(request, agency, grant_form=form, status=400)
    actor = _user(request)
    requested = grants.needs_confirmation(role, actor)
    try:
        if requested:
            grants.request_role(grantee, role, agency, actor=actor)
        else:
            accounts.grant_role(grantee, role, agency, actor=actor)
    except ValidationError as invalid:
        errors_into(form, invalid)
        return _render_users(request, agency, grant_form=form, status=400)
    except PermissionDenied as refused:
        return _render_users(request, agency, grant_form=form, error=str(refused), status=403)
    values = {
        "user": grantee,
        "role": dict(form.fields["role"].choices)[role],  # type: ignore[attr-defined]
        "agency": agency.code,
    }
    if requested:
        message = _(
            "%(role)s at %(agency)s requested for %(user)s: it takes effect once a system "
            "administrator or the agency's signing leader confirms it."
        )
    else:
        message = _("%(user)s is now %(role)s at %(agency)s.")
    messages.success(request, message % values)
    return redirect("workspace:admin_users", code=agency.code)


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, assignment_id: int) -> HttpResponse:
    """Take one role at this agency away (another agency's assignment is a 404)."""
    agency = _agency(request, code)
    assignment = (
        RoleAssignment.objects.select_related("user", "agency")
        .filter(pk=assignment_id, agency=agency)
        .first()
    )
    if assignment is None:
        raise Http404("no such role here")
    try:
        accounts.revoke_agency_role(assignment, actor=_user(request))
    except ValidationError as refused:
        return _render_users(request, agency, error=" ".join(refused.messages), status=400)
    except PermissionDenied as refused:
        return _render_users(request, agency, error=str(refused), status=403)
    messages.success(
        request,
        _("%(role)s removed from %(user)s.")
        % {"role": assignment.get_role_display(), "user": assignment.user},
    )
    return redirect("workspace:admin_users", code=agency.code)


@login_required
@require_POST
def remove_access(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    """Remove every role a user holds at this agency; their account and other roles stay."""
    agency = _agency(request, code)
    member = User.objects.filter(pk=user_id, role_assignments__agency=agency).distinct().first()
    if member is None:
        raise Http404("no such user here")
    try:
        removed = accounts.end_agency_access(member, agency, actor=_user(request))
    except ValidationError as refused:
        return _render_users(request, agency, error=" ".join(refused.messages), status=400)
    except PermissionDenied as refused:
        return _render_users(request, agency, error=str(refused), status=403)
    messages.success(
        request,
        ngettext(
            "%(user)s no longer has access to %(agency)s (%(count)d role removed).",
            "%(user)s no longer has access to %(agency)s (%(count)d roles removed).",
            removed,
        )
        % {"user": member, "agency": agency.code, "count": removed},
    )
    return redirect("workspace:admin_users", code=agency.code)


@login_required
@require_POST
def unlock(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    """Lift the sign-in lock of a user holding a role at this agency (audited by
    ``lockout.unlock``)."""
    agency = _agency(request, code)
    member = User.objects.filter(pk=user_id, role_assignments__agency=agency).distinct().first()
    if member is None:
        raise Http404("no such user here")
    try:
        lockout.unlock(subject=member, actor=_user(request), agency=agency)
    except PermissionDenied as refused:
        return _render_users(request, agency, error=str(refused), status=403)
    messages.success(request, _("%(user)s may sign in again.") % {"user": member})
    return redirect("workspace:admin_users", code=agency.code)


# --- role grants awaiting confirmation ------------------------------------------------------


def _grant_reader_agency_ids(user: User) -> set[int] | None:
    """Agencies whose pending grants the user sees: those they administer or confirm for
    (all for a system administrator); 403 for anyone else."""
    confirmer = permissions.grant_confirmer_agency_ids(user)
    if confirmer is None:
        return None
    ids = confirmer | permissions.administered_agency_ids(user)
    if not ids:
        raise PermissionDenied(_("You neither administer an agency nor confirm its roles."))
    return ids


@login_required
@require_http_methods(["GET"])
def grants_page(request: HttpRequest) -> HttpResponse:
    """The role grants awaiting confirmation that the user may decide (system administrators,
    signing leaders of the agency) or has asked for (agency administrators)."""
    user = _user(request)
    rows = _pending(user, _grant_reader_agency_ids(user))
    return render(
        request,
        "workspace/admin/grants.html",
        {"pending": rows, "decision_form": DecisionForm(initial={"back": "grants"})},
    )


@login_required
@require_POST
def decide_grant(request: HttpRequest, request_id: int) -> HttpResponse:
    """Confirm or reject one pending grant through ``grants.confirm_role_request`` or
    ``grants.reject_role_request``, which check who may (never the requester or the
    grantee) and that it is still pending."""
    user = _user(request)
    scope = _grant_reader_agency_ids(user)
    found = RoleGrantRequest.objects.select_related("user", "agency")
    if scope is not None:
        found = found.filter(agency_id__in=sorted(scope))
    grant_request = found.filter(pk=request_id).first()
    if grant_request is None:
        raise Http404("no such role grant request")
    form = DecisionForm(request.POST)
    back = (
        reverse("workspace:admin_users", kwargs={"code": grant_request.agency.code})
        if request.POST.get("back") == "users"
        else reverse("workspace:admin_grants")
    )
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
        return redirect(back)
    reason = form.cleaned_data["reason"]
    values = {
        "role": grant_request.get_role_display(),
        "user": grant_request.user,
        "agency": grant_request.agency.code,
    }
    try:
        if form.cleaned_data["decision"] == "confirm":
            grants.confirm_role_request(grant_request, actor=user, reason=reason)
            message = _("Confirmed: %(user)s is now %(role)s at %(agency)s.")
        else:
            grants.reject_role_request(grant_request, actor=user, reason=reason)
            message = _("Rejected: %(role)s at %(agency)s for %(user)s.")
    except PermissionDenied as refused:
        return render(
            request,
            "workspace/admin/grants.html",
            {
                "pending": _pending(user, scope),
                "decision_form": DecisionForm(initial={"back": "grants"}),
                "error": str(refused),
            },
            status=403,
        )
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect(back)
    messages.success(request, message % values)
    return redirect(back)


# --- internal processes --------------------------------------------------------------------


@dataclass
class CaseRow:
    version: ProcedureVersion
    case: Case
    roles: list[str]
    own: InternalProcess | None
    template: InternalProcess | None


def _assigned_cases(agency: Agency) -> list[CaseRow]:
    """The cases of the versions in force of the procedures assigned to ``agency``, each with
    the agency's own process and the template (a fixed number of queries)."""
    roles: dict[int, list[str]] = {}
    for assignment in ProcedureAssignment.objects.filter(agency=agency).order_by("role"):
        roles.setdefault(assignment.procedure_id, []).append(
            str(AssignmentRole(assignment.role).label)
        )
    processes = (
        InternalProcess.objects.filter(Q(agency=agency) | Q(agency__isnull=True))
        .annotate(step_count=Count("steps"))
        .order_by("pk")
    )
    cases = Case.objects.order_by("code").prefetch_related(
        Prefetch("processes", queryset=processes)
    )
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, procedure_id__in=roles)
        .select_related("procedure")
        .prefetch_related(Prefetch("cases", queryset=cases))
        .order_by("procedure__code")
    )
    rows = []
    for version in versions:
        for case in version.cases.all():
            by_agency = {p.agency_id: p for p in case.processes.all()}
            rows.append(
                CaseRow(
                    version,
                    case,
                    roles[version.procedure_id],
                    by_agency.get(agency.pk),
                    by_agency.get(None),
                )
            )
    return rows


@login_required
@require_http_methods(["GET"])
def processes_page(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(request, code)
    return render(
        request,
        "workspace/admin/processes.html",
        {"agency": agency, "section": "processes", "rows": _assigned_cases(agency)},
    )


def _case_for(agency: Agency, case_id: int) -> Case:
    """A case of a version in force of a procedure assigned to ``agency``; 404 otherwise."""
    case = (
        Case.objects.select_related("version__procedure")
        .filter(
            pk=case_id,
            version__status=VersionStatus.PUBLISHED,
            version__procedure__assignments__agency=agency,
        )
        .distinct()
        .first()
    )
    if case is None:
        raise Http404("no such case at this agency")
    return case


def _initial_steps(case: Case, agency: Agency) -> tuple[list[dict[str, Any]], str]:
    """The rows to start from (the agency's own process, else the template) and which."""
    processes = {
        p.agency_id: p
        for p in InternalProcess.objects.filter(case=case)
        .filter(Q(agency=agency) | Q(agency__isnull=True))
        .prefetch_related("steps__responsible_agency")
    }
    source = "own" if agency.pk in processes else "template" if None in processes else "none"
    process = processes.get(agency.pk) or processes.get(None)
    steps = list(process.steps.all()) if process else []
    return [
        {
            "name": s.name,
            "role": s.role,
            "unit": s.unit,
            "allowance": Decimal(s.allowance).normalize(),
            "agency": s.responsible_agency.code if s.responsible_agency else "",
        }
        for s in steps
    ], source


def _render_process(
    request: HttpRequest,
    agency: Agency,
    case: Case,
    formset: BaseStepFormSet,
    source: str,
    total: Decimal,
    *,
    error: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    statutory = case.processing_time if case.time_unit != TimeUnit.NONE else None
    context = {
        "agency": agency,
        "section": "processes",
        "case": case,
        "formset": formset,
        "source": source,
        "timed": statutory is not None,
        "statutory": statutory.normalize() if statutory is not None else None,
        "unit_label": TimeUnit(case.time_unit).label,
        "total": total.normalize(),
        "error": error or [],
    }
    return render(request, "workspace/admin/process_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def process_page(request: HttpRequest, code: str, case_id: int) -> HttpResponse:
    """Edit the agency's internal process of one case: ordered rows of steps whose allowances
    must add up to the statutory time (checked by ``catalogue.set_internal_process``)."""
    agency = _agency(request, code)
    case = _case_for(agency, case_id)
    initial, source = _initial_steps(case, agency)
    if request.method != "POST":
        formset = cast(BaseStepFormSet, StepFormSet(initial=initial, prefix="steps"))
        total = sum((row["allowance"] for row in initial), Decimal(0))
        return _render_process(request, agency, case, formset, source, total)
    formset = cast(BaseStepFormSet, StepFormSet(request.POST, prefix="steps"))
    valid = formset.is_valid()
    total = formset.typed_total()
    if not valid:
        return _render_process(request, agency, case, formset, source, total, status=400)
    try:
        catalogue.set_internal_process(case, formset.specs(), agency=agency, actor=_user(request))
    except ValidationError as refused:
        # The statutory check (Decree 118/2025/NĐ-CP art. 23) or an unknown agency code.
        return _render_process(
            request, agency, case, formset, source, total, error=refused.messages, status=400
        )
    except PermissionDenied as refused:
        return _render_process(
            request, agency, case, formset, source, total, error=[str(refused)], status=403
        )
    messages.success(
        request,
        _("Internal process of %(case)s saved for %(agency)s.")
        % {"case": f"{case.version.procedure.code} – {case.name}", "agency": agency.code},
    )
    return redirect("workspace:admin_processes", code=agency.code)


# --- calendar overrides --------------------------------------------------------------------


def _render_calendar(
    request: HttpRequest,
    agency: Agency,
    year: int,
    *,
    form: OverrideForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    calendar = agency.calendar
    chain = calendar_chain(calendar)
    rows = list(
        CalendarOverride.objects.filter(calendar__in=chain, date__year=year)
        .select_related("calendar")
        .order_by("date", "calendar_id")
    )
    own = [r for r in rows if r.calendar_id == calendar.pk]
    own_dates = {r.date for r in own}
    inherited = [r for r in rows if r.calendar_id != calendar.pk and r.date not in own_dates]
    sharing = Agency.objects.filter(calendar=calendar).exclude(pk=agency.pk).order_by("code")[:10]
    context = {
        "agency": agency,
        "section": "calendar",
        "calendar": calendar,
        "year": year,
        "years": (year - 1, year + 1),
        "own": own,
        "inherited": inherited,
        "may_manage": permissions.can_manage_calendar(
            _user(request), calendar.pk, calendar.parent_id
        ),
        "sharing": list(sharing),
        "form": form or OverrideForm(initial={"date": None}),
        "remove_form": RemoveOverrideForm(),
        "error": error,
    }
    return render(request, "workspace/admin/calendar.html", context, status=status)


def _moved_message(count: int) -> str:
    if not count:
        return _("No open dossier's deadline moved.")
    return ngettext(
        "The deadlines of %(count)d open dossier were moved.",
        "The deadlines of %(count)d open dossiers were moved.",
        count,
    ) % {"count": count}


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest, code: str) -> HttpResponse:
    """The overrides of the agency's calendar for a year; adding one goes through
    ``accounts.calendars.add_override``, which moves the affected open dossiers' deadlines."""
    agency = _agency(request, code)
    year = YearForm.year_of(request.GET, timezone.localdate())
    if request.method != "POST":
        return _render_calendar(request, agency, year)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _render_calendar(request, agency, year, form=form, status=400)
    data = form.cleaned_data
    day = data["date"]
    try:
        change = workdays.add_override(
            agency.calendar,
            actor=_user(request),
            date=day,
            kind=data["kind"],
            reason=data["reason"],
            legal_basis=data["legal_basis"],
        )
    except PermissionDenied as refused:
        return _render_calendar(
            request, agency, day.year, form=form, error=str(refused), status=403
        )
    except ValidationError as invalid:
        if getattr(invalid, "code", None) == "duplicate_override":
            form.add_error("date", invalid.messages)
        else:
            errors_into(form, invalid)
        return _render_calendar(request, agency, day.year, form=form, status=400)
    messages.success(
        request,
        " ".join(
            [
                _("%(date)s: %(kind)s added to calendar %(calendar)s.")
                % {
                    "date": day.strftime("%d/%m/%Y"),
                    "kind": change.override.get_kind_display() if change.override else "",
                    "calendar": agency.calendar.code,
                },
                _moved_message(len(change.moved)),
            ]
        ),
    )
    return _to_year(agency, day.year)


def _to_year(agency: Agency, year: int) -> HttpResponse:
    url = reverse("workspace:admin_calendar", kwargs={"code": agency.code})
    return redirect(f"{url}?year={year}")


@login_required
@require_POST
def remove_override(request: HttpRequest, code: str, override_id: int) -> HttpResponse:
    """Remove one of the calendar's own overrides (an inherited one is a 404 here)."""
    agency = _agency(request, code)
    override = CalendarOverride.objects.filter(pk=override_id, calendar=agency.calendar).first()
    if override is None:
        raise Http404("no such override on this agency's calendar")
    form = RemoveOverrideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        change = workdays.remove_override(override, actor=_user(request), reason=reason)
    except PermissionDenied as refused:
        return _render_calendar(request, agency, override.date.year, error=str(refused), status=403)
    messages.success(
        request,
        " ".join(
            [
                _("%(date)s: override removed from calendar %(calendar)s.")
                % {
                    "date": override.date.strftime("%d/%m/%Y"),
                    "calendar": agency.calendar.code,
                },
                _moved_message(len(change.moved)),
            ]
        ),
    )
    return _to_year(agency, override.date.year)


# --- top bar -------------------------------------------------------------------------------


def admin_links(user: Any) -> tuple[bool, bool]:
    """Whether the top bar offers "Agency administration" (system administrators and agency
    administrators) and "Role grants to confirm" (signing leaders who administer nothing),
    in one query through the shared permission helpers (none when the top bar read the roles)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, False
    if user.is_superuser:
        return True, False
    pairs = permissions.remembered_roles(user)
    if pairs is not None:
        roles = {role for role, _agency in pairs}
    else:
        roles = set(
            permissions.active_assignments(user)
            .filter(role__in=[Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN, Role.SIGNING_LEADER])
            .values_list("role", flat=True)
        )
    admin = bool(roles & {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN})
    return admin, not admin and Role.SIGNING_LEADER in roles


def shows_admin_link(user: Any) -> bool:
    """Whether the top bar offers "Agency administration"."""
    return admin_links(user)[0]
