"""The PAR self-assessment's screens, mounted at ``/workspace/par/`` by ``motcua.urls``."""

from django.urls import path

from motcua.par import scoring_views, views

app_name = "par"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_set, name="import"),
    path("example.xlsx", views.example, name="example"),
    path("<int:year>/", views.year, name="year"),
    path("<int:year>/focal-points/", views.designate, name="designate"),
    path("<int:year>/open/", views.open_assessment, name="open"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("<int:year>/ranking/", views.ranking, name="ranking"),
    path("assessments/<int:pk>/", scoring_views.assessment, name="assessment"),
    path("assessments/<int:pk>/scores/", scoring_views.save_scores, name="save_scores"),
    path("assessments/<int:pk>/appraisal/", scoring_views.save_appraisal, name="save_appraisal"),
    path("assessments/<int:pk>/act/<str:name>/", scoring_views.act, name="act"),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/",
        scoring_views.evidence,
        name="evidence",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/remove/",
        scoring_views.remove_evidence,
        name="remove_evidence",
    ),
]
