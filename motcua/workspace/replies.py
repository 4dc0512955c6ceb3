"""``/workspace/replies/``: the reply templates (mẫu trả lời) of an agency, for its heads of
department and agency administrators (``replies.can_manage_replies``). Officers who may not
manage them get a 403, users with no role in any agency a 404. The writes are the services of
``motcua.dossiers.replies``; a template of another agency is a 404."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import Agency, User
from motcua.dossiers import replies
from motcua.dossiers.models import ReplyKind, ReplyTemplate
from motcua.workspace import queues
from motcua.workspace.forms import errors_into
from motcua.workspace.views import AGENCY_SESSION_KEY, _user


class ReplyTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Used for"), choices=ReplyKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=replies.TITLE_MAX)
    body = forms.CharField(
        label=gettext_lazy("Text (one item or reason per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def managed_agency(request: HttpRequest) -> tuple[User, Agency, list[Agency]]:
    """The user and the agency whose templates the page shows: the one chosen in the session
    if the user manages its templates, else the first they manage."""
    user = _user(request)
    agencies = replies.managed_agencies(user)
    if not agencies:
        if queues.officer_agencies(user):
            raise PermissionDenied("not a head of department or agency administrator")
        raise Http404("no agency")
    chosen = request.session.get(AGENCY_SESSION_KEY)
    agency = next((a for a in agencies if a.pk == chosen), agencies[0])
    return user, agency, agencies


def _template(agency: Agency, pk: int) -> ReplyTemplate:
    template = replies.template_of(agency, pk)
    if template is None:
        raise Http404(str(pk))
    return template


def _page(
    request: HttpRequest,
    agency: Agency,
    agencies: list[Agency],
    *,
    new: ReplyTemplateForm | None = None,
    editing: tuple[int, ReplyTemplateForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows: list[tuple[ReplyTemplate, ReplyTemplateForm]] = []
    for template in replies.templates_of(agency):
        if editing is not None and editing[0] == template.pk:
            form = editing[1]
        else:
            form = ReplyTemplateForm(
                initial={"kind": template.kind, "title": template.title, "body": template.body},
                auto_id=f"id_reply{template.pk}_%s",
            )
        rows.append((template, form))
    context: dict[str, Any] = {
        "agency": agency,
        "agencies": agencies,
        "rows": rows,
        "new": new or ReplyTemplateForm(auto_id="id_new_%s"),
    }
    return render(request, "workspace/replies.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def replies_page(request: HttpRequest) -> HttpResponse:
    """The agency's templates, each with its edit form, and a form adding one."""
    user, agency, agencies = managed_agency(request)
    if request.method == "GET":
        return _page(request, agency, agencies)
    form = ReplyTemplateForm(request.POST, auto_id="id_new_%s")
    if form.is_valid():
        try:
            replies.create_template(agency=agency, actor=user, **form.cleaned_data)
        except ValidationError as invalid:
            errors_into(form, invalid)
        else:
            messages.success(request, _("Reply template added."))
            return HttpResponseRedirect(reverse("workspace:replies"))
    return _page(request, agency, agencies, new=form, status=400)


@login_required
@require_POST
def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, agency, agencies = managed_agency(request)
    template = _template(agency, pk)
    form = ReplyTemplateForm(request.POST, auto_id=f"id_reply{pk}_%s")
    if form.is_valid():
        try:
            replies.update_template(template, actor=user, **form.cleaned_data)
        except ValidationError as invalid:
            errors_into(form, invalid)
        else:
            messages.success(request, _("Reply template saved."))
            return HttpResponseRedirect(reverse("workspace:replies"))
    return _page(request, agency, agencies, editing=(pk, form), status=400)


@login_required
@require_POST
def reply_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user, agency, _agencies = managed_agency(request)
    replies.deactivate_template(_template(agency, pk), actor=user)
    messages.success(request, _("Reply template deactivated: it is no longer offered."))
    return HttpResponseRedirect(reverse("workspace:replies"))
