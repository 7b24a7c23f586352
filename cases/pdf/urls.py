from django.urls import path

from cases.pdf import views

urlpatterns = [
    path("<id:pk>/pdf/<str:version>/", views.dossier_pdf, name="pdf"),
    path("<id:pk>/pdf/export/<id:export_id>/", views.pdf_export, name="pdf_export"),
    path("<id:pk>/pdf/export/<id:export_id>/download/", views.pdf_download, name="pdf_download"),
]
