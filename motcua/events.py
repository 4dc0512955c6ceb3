"""The append-only event base shared by every history table.

Organisation, calendar, catalogue, dossier and reply-template events are one row per change, the
history, the audit trail and what reports count: appended by the services, never edited, never
deleted. ``AppendOnlyEvent`` refuses both everywhere the ORM offers them: ``save`` of a row that
exists, ``delete`` of one, and ``update``, ``delete`` and ``bulk_update`` on a queryset of them
(``AppendOnlyQuerySet``). The admin shows them through ``motcua.admin.ReadOnlyAdmin``.

It sits below every app (see docs/architecture.md, "Layers and contracts"): it imports Django
only.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableEvent(Exception):
    """An attempt to edit or delete an event of an append-only history."""


_Event = TypeVar("_Event", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_Event, _Event]):
    """Inserts and reads only: every bulk write that would change or remove rows refuses."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableEvent(_("Events are never changed."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableEvent(_("Events are never deleted."))

    def bulk_update(
        self, objs: Iterable[_Event], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        raise ImmutableEvent(_("Events are never changed."))

    def update_or_create(self, *args: Any, **kwargs: Any) -> tuple[_Event, bool]:
        raise ImmutableEvent(_("Events are never changed."))


class AppendOnlyEvent(models.Model):
    """Abstract base of every event model: a row is inserted once and then only read.

    ``save`` inserts a new row and refuses an existing one (or a forced update); ``delete``
    refuses; the default manager's querysets refuse ``update``, ``delete`` and ``bulk_update``."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise ImmutableEvent(_("Events are never changed."))
        # Always an INSERT: with a primary key set, Django would first try an UPDATE.
        kwargs["force_insert"] = kwargs.get("force_insert") or True
        super().save(**kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEvent(_("Events are never deleted."))
