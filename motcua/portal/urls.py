from django.urls import path

from motcua.portal import account_views, submission_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/",
        submission_views.submit_online,
        name="submit_online",
    ),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/xem-lai/",
        submission_views.submit_review,
        name="submit_review",
    ),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/huy/",
        submission_views.discard_draft,
        name="discard_draft",
    ),
    path(
        "thu-tuc/<str:code>/nop-truc-tuyen/da-nop/<str:dossier>/",
        submission_views.submitted,
        name="submitted",
    ),
    path(
        "thu-tuc/<str:code>/mau/<str:case>/<str:document>/",
        submission_views.template_download,
        name="template",
    ),
    path("tra-cuu/", views.track_form, name="track_form"),
    path("tra-cuu/<str:code>", views.track, name="track"),
    path("cong-khai/", views.publicity_province, name="publicity"),
    path("cong-khai/<str:code>/", views.publicity_agency, name="publicity_agency"),
    path("quyen-rieng-tu/", views.privacy, name="privacy"),
    path("dang-ky/", account_views.register, name="register"),
    path("dang-ky/xac-minh/", account_views.verify, name="verify"),
    path("dang-nhap/", account_views.sign_in, name="sign_in"),
    path("dang-xuat/", account_views.sign_out, name="sign_out"),
]
