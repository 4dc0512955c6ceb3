"""Report rollups: daily counters per (receiving agency, procedure version, channel), kept
exact by deltas applied in the transaction of every change to a dossier's report facts
(``rollup.py``), so that a report reads agencies × versions × days, never the dossiers.

The engine writes them (they change with its dossiers, in its transactions); the reports only
read them. The tables keep the names they had when the reports app held these models
(``reports_dailyrollup``, ``reports_agencyrollup``): migration ``dossiers.0007`` took them over
in the migration state only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.workflow import Channel, Status

# Which dossiers the rollups count and how (``rollup.py`` writes them, the reports read them).
OUTSIDE = frozenset({Status.NEW.value, Status.NOT_ACCEPTED.value})
FINISHED = frozenset({Status.WITHDRAWN.value, Status.PROCESSED.value, Status.RETURNED.value})
PAUSED = frozenset(
    {Status.SUPPLEMENT_REQUESTED.value, Status.FINANCIAL_OBLIGATION.value, Status.STOPPED.value}
)
COUNTERS = (
    "received",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "overdue_from",
    "overdue_closed",
    "paused",
    "returned",
    "returned_electronic",
    "withdrawn",
)
# AgencyRollup's counters: COUNTERS, with the online part of ``received`` second.
AGENCY_COUNTERS = (COUNTERS[0], "received_online", *COUNTERS[1:])


class Counters(models.Model):
    """The counters (``COUNTERS``) every rollup table keeps, with the meaning given on
    ``DailyRollup``."""

    received = models.IntegerField(_("received"), default=0)
    finished_early = models.IntegerField(_("finished early"), default=0)
    finished_on_time = models.IntegerField(_("finished on time"), default=0)
    finished_late = models.IntegerField(_("finished late"), default=0)
    overdue_from = models.IntegerField(_("overdue from"), default=0)
    overdue_closed = models.IntegerField(_("overdue closed"), default=0)
    paused = models.IntegerField(_("paused"), default=0)
    returned = models.IntegerField(_("results returned"), default=0)
    returned_electronic = models.IntegerField(_("results returned electronically"), default=0)
    withdrawn = models.IntegerField(_("withdrawn"), default=0)

    class Meta:
        abstract = True


class SummedCounters(Counters):
    """``Counters`` summed out over the channel, which keep the online part of ``received``
    (``AGENCY_COUNTERS``): the report splits what was received in the period by channel."""

    received_online = models.IntegerField(_("received online"), default=0)

    class Meta:
        abstract = True


class DailyRollup(Counters):
    """Counters of one group (receiving agency, procedure version, channel) on one local day.

    Each column counts dossiers whose report fact puts a key on this day (see ``rollup.py``):
    ``received`` on the day received; ``finished_*`` on the day finished (statuses 9, 10)
    by outcome; ``withdrawn`` on the day withdrawn (status 7, not graded); ``overdue_from``
    on the first report date at which the dossier is overdue if still open and its clock
    runs, not in status 5 or 6 (the day after its due date, or the day received if later);
    ``overdue_closed``
    on the first report date at which it is both past that day and finished; ``paused`` on the
    day received while it is now in status 5, 6 or 8; ``returned`` on the day the result of a
    dossier now in status 10 was returned, and ``returned_electronic`` on that day when it was
    returned electronically (the Decision 766 index). Rows may fall back to zero."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    day = models.DateField(_("day"))

    class Meta:
        db_table = "reports_dailyrollup"
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "version", "channel", "day"], name="one_rollup_per_group_day"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="rollup_day")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.version_id}/{self.channel} {self.day.isoformat()}"


class Grain(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


class AgencyRollup(SummedCounters):
    """The counters of ``DailyRollup`` summed over procedure versions and channels, per
    receiving agency, at three grains of time: the row (agency, ``year``, 1 January Y) holds
    the year Y, (agency, ``month``, the 1st of M) the month M, (agency, ``day``, D) the day D.

    Every delta applied to a daily row is applied, in the same transaction, to the three rows
    of its agency and day (``rollup.py``). A prefix sum up to a day X then reads the year rows
    before X's year, the month rows of X's year before X's month and the day rows of X's month
    up to X: at most years + 11 + 31 rows per agency, however many dossiers and versions, which
    is what the reports grouped by agency (or its level) read (``processing.py``).

    ``received_online`` counts ``received`` of the online channel: the report splits what was
    received in the period by channel, and the channel is summed out here."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.CASCADE, related_name="+"
    )
    grain = models.CharField(_("grain"), max_length=5, choices=Grain.choices)
    start = models.DateField(_("first day"))

    class Meta:
        db_table = "reports_agencyrollup"
        verbose_name = _("agency rollup")
        verbose_name_plural = _("agency rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "grain", "start"], name="one_agency_rollup_per_period"
            ),
        ]
        # The reports over all agencies filter by grain and start only; the index covers what
        # they read (the group and the counters), so a range scan never visits the table.
        indexes = [
            models.Index(
                fields=["grain", "start", "agency", *AGENCY_COUNTERS],
                name="agency_rollup_covering",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.grain} {self.start.isoformat()}"


class Dimension(models.TextChoices):
    """The groupings of the processing report that do not depend on the agency alone."""

    FIELD = "field", _("field")
    PROCEDURE = "procedure", _("procedure")
    CHANNEL = "channel", _("channel")


class GroupRollup(SummedCounters):
    """The counters of ``DailyRollup`` summed over agencies per field, per procedure or per
    channel (``dimension``; ``key``: the field's or procedure's id as text, or the channel),
    at the three grains of ``AgencyRollup`` (year, month and day rows).

    The field and the procedure come through the daily row's procedure version. Every delta
    applied to a daily row is applied, in the same transaction, to the year, month and day rows
    of its field, its procedure and its channel (``rollup.py``), so that the reports grouped by
    field, procedure or channel read a prefix sum of at most years + 2 × (1 + 7 + 16) rows per
    group, however many dossiers, agencies and versions (``processing.py``)."""

    dimension = models.CharField(_("dimension"), max_length=9, choices=Dimension.choices)
    key = models.CharField(_("group key"), max_length=20)
    grain = models.CharField(_("grain"), max_length=5, choices=Grain.choices)
    start = models.DateField(_("first day"))

    class Meta:
        verbose_name = _("group rollup")
        verbose_name_plural = _("group rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "grain", "start"], name="one_group_rollup_per_period"
            ),
        ]
        # The reports filter by dimension, grain and start; the index covers what they read
        # (the key and the counters), so a range scan never visits the table.
        indexes = [
            models.Index(
                fields=["dimension", "grain", "start", "key", *AGENCY_COUNTERS],
                name="group_rollup_covering",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key}/{self.grain} {self.start.isoformat()}"


class AgencyGroupRollup(SummedCounters):
    """The counters of ``DailyRollup`` per receiving agency, per kind of procedure version
    (``inter_agency``: liên thông or not) and per field, procedure or channel (``dimension``
    and ``key`` as on ``GroupRollup``), at the three grains of ``AgencyRollup``.

    Every delta applied to a daily row is applied, in the same transaction, to the year, month
    and day rows of its agency and kind, for its field, its procedure and its channel
    (``rollup.py``). The reports restricted to some agencies or to one kind of version
    (``processing.py``) read prefix sums of these rows: at most years + 2 × (1 + 7 + 16) rows
    per (agency, kind, group), however many dossiers and versions. Grouped by agency or level,
    they read the channel rows (every delta lands on exactly one channel)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.CASCADE, related_name="+"
    )
    inter_agency = models.BooleanField(_("inter-agency (liên thông)"))
    dimension = models.CharField(_("dimension"), max_length=9, choices=Dimension.choices)
    key = models.CharField(_("group key"), max_length=20)
    grain = models.CharField(_("grain"), max_length=5, choices=Grain.choices)
    start = models.DateField(_("first day"))

    class Meta:
        verbose_name = _("agency group rollup")
        verbose_name_plural = _("agency group rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "inter_agency", "dimension", "key", "grain", "start"],
                name="one_agency_group_rollup_per_period",
            ),
        ]
        # The reports filter by dimension, grain and start, then by agency or kind.
        indexes = [
            models.Index(
                fields=["dimension", "grain", "start", "agency", "inter_agency"],
                name="agency_group_rollup_period",
            )
        ]

    def __str__(self) -> str:
        kind = "inter-agency" if self.inter_agency else "single"
        return (
            f"{self.agency_id}/{kind}/{self.dimension}:{self.key}/{self.grain} "
            f"{self.start.isoformat()}"
        )
