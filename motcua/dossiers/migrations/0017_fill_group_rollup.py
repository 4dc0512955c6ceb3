"""Fill ``GroupRollup`` (issue 11 item 5) from the daily rows of an existing install: each
daily row's counters summed into the year, month and day rows of its version's field and
procedure and of its channel, as ``rollup.group_rows`` does (copied here as it stood: the
online part of ``received`` second). Frozen models only; what is held in memory is bounded by
groups × periods, the daily rows are read in chunks."""

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


def forward(apps: Any, schema_editor: Any) -> None:
    daily = apps.get_model("dossiers", "DailyRollup")
    group = apps.get_model("dossiers", "GroupRollup")
    version = apps.get_model("catalogue", "ProcedureVersion")
    versions = {
        pk: (field_id, procedure_id)
        for pk, field_id, procedure_id in version.objects.values_list(
            "pk", "field_id", "procedure_id"
        )
    }
    found: dict[tuple[str, str, str, dt.date], list[int]] = {}
    rows = daily.objects.order_by("pk").values_list("pk", "version_id", "channel", "day", *COUNTERS)
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:20000])
        if not batch:
            break
        last = batch[-1][0]
        for _pk, version_id, channel, day, *values in batch:
            extended = [values[0], values[0] if channel == "online" else 0, *values[1:]]
            field_id, procedure_id = versions[version_id]
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
                    row = found.setdefault((dimension, key, grain, start), [0] * 11)
                    for i, value in enumerate(extended):
                        row[i] += value
    group.objects.bulk_create(
        (
            group(dimension=d, key=k, grain=g, start=s, **dict(zip(GROUP_COUNTERS, v, strict=True)))
            for (d, k, g, s), v in sorted(found.items())
            if any(v)
        ),
        batch_size=5000,
    )


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("dossiers", "GroupRollup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0016_group_rollup"),
    ]

    operations = [migrations.RunPython(forward, backward)]
