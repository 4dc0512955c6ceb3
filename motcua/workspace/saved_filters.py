"""Saved list filters: each user names the filters they use often and finds them as links on
the list page. A saved filter is private: every read and write here is scoped to its owner,
so another user's filter id is as good as a missing one."""

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.dossiers.filters import DossierFilter
from motcua.errors import invalid
from motcua.workspace.models import SavedFilter

FILTER_NAMES = tuple(DossierFilter.base_filters)
NAME_MAX = SavedFilter._meta.get_field("name").max_length or 100
QUERY_MAX = SavedFilter._meta.get_field("query").max_length or 2000


# What a yes/no filter's select sends for "either" (django-filter's ``NullBooleanSelect``).
EITHER = "unknown"


def filter_query(params: QueryDict) -> str:
    """The ``DossierFilter`` parameters of ``params`` with a value, as a query string in a
    stable order; everything else (page, queue tab, CSRF token) is left out, and so is a
    yes/no filter left at "either", which filters nothing."""
    kept = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        values = [v.strip() for v in params.getlist(name) if v.strip() and v.strip() != EITHER]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def filters_of(user: User) -> QuerySet[SavedFilter]:
    """``user``'s saved filters, by name."""
    return SavedFilter.objects.filter(user=user).order_by("name", "pk")


def save_filter(*, user: User, name: str, query: str) -> SavedFilter:
    """Keep the filters of ``query`` under ``name`` for ``user``. The name is required and
    unique per user; a query with no filter in it is refused."""
    name = name.strip()
    if not name:
        raise invalid("required", _("Give the filter a name."), "name")
    if len(name) > NAME_MAX:
        raise invalid("too_long", _("At most %(n)d characters.") % {"n": NAME_MAX}, "name")
    cleaned = filter_query(QueryDict(query))
    if not cleaned:
        raise invalid("no_filter", _("Choose at least one filter before saving."), "name")
    if len(cleaned) > QUERY_MAX:
        raise invalid("filters_too_long", _("These filters are too long to save."), "name")
    taken = invalid(
        "filter_name_taken",
        _("You already have a filter named “%(name)s”.") % {"name": name},
        "name",
    )

    if SavedFilter.objects.filter(user=user, name=name).exists():
        raise taken
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(user=user, name=name, query=cleaned)
    except IntegrityError:  # saved twice at once: the constraint decides
        raise taken from None


def delete_filter(*, user: User, filter_id: int) -> bool:
    """Delete ``user``'s filter ``filter_id``; False when ``user`` has no such filter (another
    user's filter included), so the caller answers as for a missing one."""
    deleted, _counts = SavedFilter.objects.filter(user=user, pk=filter_id).delete()
    return deleted > 0


class SavedFilterForm(forms.Form):
    """The "save these filters" box on the list page: a name, and the filters as a hidden
    query string. Only parses; ``save_filter`` decides."""

    name = forms.CharField(label=gettext_lazy("Name for these filters"), max_length=NAME_MAX)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=QUERY_MAX * 2)
