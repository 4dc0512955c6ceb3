# Data only: each notice names its dossier by code (0004 then drops the foreign key).

from django.db import migrations
from django.db.models import OuterRef, Subquery


def codes_from_dossiers(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    dossier = apps.get_model("dossiers", "Dossier")
    notification.objects.filter(dossier__isnull=False).update(
        dossier_code=Subquery(dossier.objects.filter(pk=OuterRef("dossier_id")).values("code")[:1])
    )


def dossiers_from_codes(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    dossier = apps.get_model("dossiers", "Dossier")
    notification.objects.exclude(dossier_code="").update(
        dossier=Subquery(dossier.objects.filter(code=OuterRef("dossier_code")).values("pk")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0001_initial'),
        ('notifications', '0002_notification_dossier_code'),
    ]

    operations = [
        migrations.RunPython(codes_from_dossiers, dossiers_from_codes),
    ]
