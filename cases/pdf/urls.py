from django.urls import path

from cases.pdf import views

urlpatterns = [
    path("<id:pk>/pdf/<str:version>/", views.dossier_pdf, name="pdf"),
]
