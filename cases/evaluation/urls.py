from django.urls import path

from cases.evaluation import views

urlpatterns = [
    path("evaluatie/", views.evaluation, name="evaluation"),
    path("evaluatie/csv/", views.evaluation_csv, name="evaluation_csv"),
    path("evaluatie/pdf/", views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluatie/themas/", views.theme_add, name="evaluation_theme_add"),
    path("<id:pk>/evaluatie/", views.case_evaluation_new, name="case_evaluation_new"),
]
