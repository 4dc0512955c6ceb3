"""Fill ``AgencyGroupRollup`` (issue 11 item 5) from the daily rows of an existing install:
each daily row's counters summed into the year, month and day rows of its agency and its
version's kind (inter-agency or not), for its version's field and procedure and for its
channel, as ``rollup.agency_group_rows`` does (the online part of ``received`` second; rows
whose counters are all zero left out). One ``INSERT … SELECT … GROUP BY`` in the database:
the daily rows are never brought into Python (a Python fill of 485,230 daily rows took longer
than the import's budget on a loaded machine)."""

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


def first_day(vendor: str, grain: str, day: str) -> str:
    """SQL for the first day of ``day``'s year or month."""
    if vendor == "postgresql":
        return f"CAST(date_trunc('{grain}', {day}) AS date)"
    return f"date({day}, 'start of {grain}')"


def statement(apps: Any, vendor: str) -> str:
    daily = apps.get_model("dossiers", "DailyRollup")._meta.db_table
    version = apps.get_model("catalogue", "ProcedureVersion")._meta.db_table
    target = apps.get_model("dossiers", "AgencyGroupRollup")._meta.db_table
    counters = ", ".join(GROUP_COUNTERS)
    values = ", ".join(
        "CASE WHEN d.channel = 'online' THEN d.received ELSE 0 END AS received_online"
        if name == "received_online"
        else f"d.{name} AS {name}"
        for name in GROUP_COUNTERS
    )
    sums = ", ".join(f"SUM({name})" for name in GROUP_COUNTERS)
    nonzero = " OR ".join(f"SUM({name}) <> 0" for name in GROUP_COUNTERS)
    return (
        f"INSERT INTO {target} (agency_id, inter_agency, dimension, key, grain, start, "  # noqa: S608 - names from the frozen models, no values
        f"{counters}) "
        f"SELECT agency_id, inter_agency, dimension, key, grain, start, {sums} FROM ("
        "SELECT d.agency_id, v.inter_agency, dims.dimension, "
        "CASE dims.dimension WHEN 'field' THEN CAST(v.field_id AS TEXT) "
        "WHEN 'procedure' THEN CAST(v.procedure_id AS TEXT) ELSE d.channel END AS key, "
        "grains.grain, "
        f"CASE grains.grain WHEN 'year' THEN {first_day(vendor, 'year', 'd.day')} "
        f"WHEN 'month' THEN {first_day(vendor, 'month', 'd.day')} ELSE d.day END AS start, "
        f"{values} "
        f"FROM {daily} d JOIN {version} v ON v.id = d.version_id "
        "CROSS JOIN (SELECT 'field' AS dimension UNION ALL SELECT 'procedure' "
        "UNION ALL SELECT 'channel') dims "
        "CROSS JOIN (SELECT 'year' AS grain UNION ALL SELECT 'month' UNION ALL SELECT 'day') "
        "grains"
        f") AS spread GROUP BY agency_id, inter_agency, dimension, key, grain, start "
        f"HAVING {nonzero}"
    )


def forward(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(statement(apps, connection.vendor))


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("dossiers", "AgencyGroupRollup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0024_agency_group_rollup"),
    ]

    operations = [migrations.RunPython(forward, backward)]
