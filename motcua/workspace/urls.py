from django.contrib.auth.views import LogoutView
from django.urls import path

from motcua.workspace import reception, views

app_name = "workspace"

urlpatterns = [
    path("", views.queue_page, name="queues"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="workspace:login"), name="logout"),
    path("agency/", views.choose_agency, name="agency"),
    path("reception/", reception.search_page, name="reception"),
    path("reception/<int:case_id>/", reception.reception_page, name="reception_case"),
    path("dossiers/<str:code>/", views.dossier_page, name="dossier"),
    path("dossiers/<str:code>/act/<str:name>/", views.act, name="act"),
]
