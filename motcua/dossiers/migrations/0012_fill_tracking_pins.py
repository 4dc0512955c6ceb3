"""Give every dossier made before ``Dossier.tracking_pin`` existed a PIN of its own, drawn
with ``secrets`` as ``codes.new_tracking_pin`` does (copied, so the migration never changes)."""

import secrets

from django.db import migrations

BATCH = 2000
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_pin() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for dossier in Dossier.objects.filter(tracking_pin="").only("pk").iterator(chunk_size=BATCH):
        dossier.tracking_pin = new_pin()
        batch.append(dossier)
        if len(batch) == BATCH:
            Dossier.objects.bulk_update(batch, ["tracking_pin"])
            batch = []
    Dossier.objects.bulk_update(batch, ["tracking_pin"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0011_dossier_tracking_pin"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
