from django.urls import path

from motcua.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", views.submit_online, name="submit_online"),
    path("tra-cuu/", views.track_form, name="track_form"),
    path("tra-cuu/<str:code>", views.track, name="track"),
    path("cong-khai/", views.publicity_province, name="publicity"),
    path("cong-khai/<str:code>/", views.publicity_agency, name="publicity_agency"),
]
