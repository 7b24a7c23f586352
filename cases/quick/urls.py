from django.urls import path

from cases.quick import views

urlpatterns = [
    path("snel-vastleggen/", views.quick_record_new, name="quick_record"),
    path("snel-vastleggen/leerlingen/", views.pupil_search, name="quick_pupil_search"),
]
