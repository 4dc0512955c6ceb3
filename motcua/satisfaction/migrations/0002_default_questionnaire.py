"""The default questionnaire: the National Public Service Portal's questions on the information
about the procedure, the processing time, the officers' attitude and the result (issue #14),
each answered very satisfied / satisfied / not satisfied. Reversible: removed again when no
rating answered it."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

NAME = "Bộ câu hỏi mặc định (Cổng Dịch vụ công quốc gia)"
QUESTIONS = [
    (
        "Việc công khai, hướng dẫn thông tin về thủ tục hành chính (đầy đủ, rõ ràng, dễ tiếp cận)",
        "Information about the procedure (published, complete, clear, easy to find)",
    ),
    (
        "Thời gian giải quyết hồ sơ so với thời hạn đã hẹn",
        "The time taken to process the dossier, against the promised date",
    ),
    (
        "Thái độ, tinh thần phục vụ của cán bộ, công chức tiếp nhận và giải quyết hồ sơ",
        "The attitude and helpfulness of the officers who received and processed the dossier",
    ),
    (
        "Kết quả giải quyết thủ tục hành chính (đúng quy định, chính xác)",
        "The result of the procedure (lawful and accurate)",
    ),
]


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Questionnaire = apps.get_model("satisfaction", "Questionnaire")
    Question = apps.get_model("satisfaction", "Question")
    if Questionnaire.objects.filter(active=True).exists():
        return
    questionnaire = Questionnaire.objects.create(name=NAME, active=True)
    for position, (text, text_en) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            questionnaire=questionnaire, position=position, text=text, text_en=text_en
        )


def remove(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Questionnaire = apps.get_model("satisfaction", "Questionnaire")
    Questionnaire.objects.filter(name=NAME, ratings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
