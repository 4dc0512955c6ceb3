"""Data: the national working calendar ``VN`` that agencies use unless a province has its own.

Its days come from the ``holidays`` package (Labour Code art. 112 and the yearly swaps); sessions
07:00–11:30 and 13:30–17:00 and the 15:00 intake cut-off are the model's defaults.
"""

from django.db import migrations
from django.utils import timezone

CODE = "VN"
NAME = "Lịch làm việc quốc gia"


def create_national_calendar(apps, schema_editor):
    Calendar = apps.get_model("workdays", "Calendar")
    CalendarEvent = apps.get_model("workdays", "CalendarEvent")
    calendar, created = Calendar.objects.get_or_create(
        code=CODE, defaults={"name": NAME, "holiday_country": "VN"}
    )
    if created:
        CalendarEvent.objects.create(
            calendar=calendar,
            action="created",
            actor=None,
            at=timezone.now(),
            reason="Tạo lịch làm việc quốc gia / national calendar created",
            data={"migration": "workdays.0002_national_calendar"},
        )


def remove_national_calendar(apps, schema_editor):
    Calendar = apps.get_model("workdays", "Calendar")
    CalendarEvent = apps.get_model("workdays", "CalendarEvent")
    calendar = Calendar.objects.filter(code=CODE).first()
    if calendar is None:
        return
    # Only undo what this migration did: a calendar in use (agencies, children, overrides or
    # later events) stays, and the database refuses to drop what still points at it.
    CalendarEvent.objects.filter(
        calendar=calendar, data__migration="workdays.0002_national_calendar"
    ).delete()
    if not CalendarEvent.objects.filter(calendar=calendar).exists():
        calendar.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_national_calendar, remove_national_calendar),
    ]
