# The report rollups move from the reports app into the engine, which writes them in its own
# transactions; the reports only read them. State only: the tables keep their names
# (``db_table``), their rows, indexes and constraints.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_links_to_calendars_and_users'),
        ('catalogue', '0003_procedure_assignments'),
        ('dossiers', '0006_step_finished_index'),
        ('reports', '0004_rollups_move_to_dossiers'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DailyRollup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('in_person', 'in person'), ('online', 'online'), ('post', 'public postal service')], max_length=12, verbose_name='channel')),
                        ('day', models.DateField(verbose_name='day')),
                        ('received', models.IntegerField(default=0, verbose_name='received')),
                        ('finished_early', models.IntegerField(default=0, verbose_name='finished early')),
                        ('finished_on_time', models.IntegerField(default=0, verbose_name='finished on time')),
                        ('finished_late', models.IntegerField(default=0, verbose_name='finished late')),
                        ('overdue_from', models.IntegerField(default=0, verbose_name='overdue from')),
                        ('overdue_closed', models.IntegerField(default=0, verbose_name='overdue closed')),
                        ('paused', models.IntegerField(default=0, verbose_name='paused')),
                        ('returned', models.IntegerField(default=0, verbose_name='results returned')),
                        ('returned_electronic', models.IntegerField(default=0, verbose_name='results returned electronically')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.agency', verbose_name='receiving agency')),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.procedureversion', verbose_name='procedure version')),
                    ],
                    options={
                        'verbose_name': 'daily rollup',
                        'verbose_name_plural': 'daily rollups',
                        'db_table': 'reports_dailyrollup',
                        'indexes': [models.Index(fields=['day'], name='rollup_day')],
                        'constraints': [models.UniqueConstraint(fields=('agency', 'version', 'channel', 'day'), name='one_rollup_per_group_day')],
                    },
                ),
                migrations.CreateModel(
                    name='AgencyRollup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('grain', models.CharField(choices=[('year', 'year'), ('month', 'month'), ('day', 'day')], max_length=5, verbose_name='grain')),
                        ('start', models.DateField(verbose_name='first day')),
                        ('received', models.IntegerField(default=0, verbose_name='received')),
                        ('received_online', models.IntegerField(default=0, verbose_name='received online')),
                        ('finished_early', models.IntegerField(default=0, verbose_name='finished early')),
                        ('finished_on_time', models.IntegerField(default=0, verbose_name='finished on time')),
                        ('finished_late', models.IntegerField(default=0, verbose_name='finished late')),
                        ('overdue_from', models.IntegerField(default=0, verbose_name='overdue from')),
                        ('overdue_closed', models.IntegerField(default=0, verbose_name='overdue closed')),
                        ('paused', models.IntegerField(default=0, verbose_name='paused')),
                        ('returned', models.IntegerField(default=0, verbose_name='results returned')),
                        ('returned_electronic', models.IntegerField(default=0, verbose_name='results returned electronically')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.agency', verbose_name='receiving agency')),
                    ],
                    options={
                        'verbose_name': 'agency rollup',
                        'verbose_name_plural': 'agency rollups',
                        'db_table': 'reports_agencyrollup',
                        'indexes': [models.Index(fields=['grain', 'start'], name='agency_rollup_period')],
                        'constraints': [models.UniqueConstraint(fields=('agency', 'grain', 'start'), name='one_agency_rollup_per_period')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
