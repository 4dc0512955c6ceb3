"""Fill ``AgencyGroupRollup`` (issue 11 item 5) from the daily rows of an existing install:
each daily row's counters summed into the year, month and day rows of its agency and its
version's kind (inter-agency or not), for its version's field and procedure and for its
channel, as ``rollup.agency_group_rows`` does (copied here as it stood: the online part of
``received`` second). Frozen models only; the rows are written per agency, so what is held in
memory is bounded by one agency's groups × periods."""

import datetime as dt
from typing import Any

from django.db import migrations

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
GROUP_COUNTERS = (COUNTERS[0], "received_online", *COUNTERS[1:])
Row = tuple[bool, str, str, str, dt.date]


def summed(rows: Any, versions: dict[int, tuple[int, int, bool]]) -> dict[Row, list[int]]:
    found: dict[Row, list[int]] = {}
    for version_id, channel, day, *values in rows:
        extended = [values[0], values[0] if channel == "online" else 0, *values[1:]]
        field_id, procedure_id, inter_agency = versions[version_id]
        for dimension, key in (
            ("field", str(field_id)),
            ("procedure", str(procedure_id)),
            ("channel", channel),
        ):
            for grain, start in (
                ("year", day.replace(month=1, day=1)),
                ("month", day.replace(day=1)),
                ("day", day),
            ):
                row = found.setdefault((inter_agency, dimension, key, grain, start), [0] * 11)
                for i, value in enumerate(extended):
                    row[i] += value
    return found


def forward(apps: Any, schema_editor: Any) -> None:
    daily = apps.get_model("dossiers", "DailyRollup")
    target = apps.get_model("dossiers", "AgencyGroupRollup")
    version = apps.get_model("catalogue", "ProcedureVersion")
    versions = {
        pk: (field_id, procedure_id, inter_agency)
        for pk, field_id, procedure_id, inter_agency in version.objects.values_list(
            "pk", "field_id", "procedure_id", "inter_agency"
        )
    }
    agencies = daily.objects.order_by("agency_id").values_list("agency_id", flat=True).distinct()
    for agency_id in list(agencies):
        rows = daily.objects.filter(agency_id=agency_id).values_list(
            "version_id", "channel", "day", *COUNTERS
        )
        target.objects.bulk_create(
            (
                target(
                    agency_id=agency_id,
                    inter_agency=i,
                    dimension=d,
                    key=k,
                    grain=g,
                    start=s,
                    **dict(zip(GROUP_COUNTERS, v, strict=True)),
                )
                for (i, d, k, g, s), v in sorted(summed(rows.iterator(), versions).items())
                if any(v)
            ),
            batch_size=5000,
        )


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("dossiers", "AgencyGroupRollup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0020_agency_group_rollup"),
    ]

    operations = [migrations.RunPython(forward, backward)]
