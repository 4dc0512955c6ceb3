"""Fill ``Dossier.applicant_name_search`` for dossiers made before the column existed, with
``catalogue.text.search_key`` as it was written (copied, so the migration never changes)."""

import unicodedata

from django.db import migrations

BATCH = 2000


def search_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    rows = Dossier.objects.filter(applicant_name_search="").only("pk", "applicant_name")
    for dossier in rows.iterator(chunk_size=BATCH):
        dossier.applicant_name_search = search_key(dossier.applicant_name)
        batch.append(dossier)
        if len(batch) == BATCH:
            Dossier.objects.bulk_update(batch, ["applicant_name_search"])
            batch = []
    Dossier.objects.bulk_update(batch, ["applicant_name_search"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0008_desk_intake_keys_fees_search"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
