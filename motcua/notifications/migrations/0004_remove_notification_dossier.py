from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_fill_dossier_code'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='notification',
            name='dossier',
        ),
    ]
