from django.urls import path

from cases.consultations import views

urlpatterns = [
    path("<id:pk>/consultatie/nieuw/", views.consultation_new, name="consultation_new"),
    path("<id:pk>/toestemming/nieuw/", views.consent_new, name="consent_new"),
    path("<id:pk>/verwijsindex/nieuw/", views.verwijsindex_new, name="verwijsindex_new"),
]
