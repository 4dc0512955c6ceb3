# The engine writes the rollups in its own transactions, so it owns their models now
# (``motcua/dossiers/rollup_models.py``). State only: the tables stay as they are and
# ``dossiers.0007_rollups_from_reports`` takes them over under their old names.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_agency_rollup'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='AgencyRollup'),
                migrations.DeleteModel(name='DailyRollup'),
            ],
            database_operations=[],
        ),
    ]
