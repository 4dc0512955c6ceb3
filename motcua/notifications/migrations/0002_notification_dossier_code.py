from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_outbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='dossier_code',
            field=models.CharField(blank=True, db_index=True, help_text='The code of the dossier the message is about, if any.', max_length=64, verbose_name='dossier'),
        ),
    ]
