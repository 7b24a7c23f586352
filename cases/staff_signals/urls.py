from django.urls import path

from cases.staff_signals import views

urlpatterns = [
    path("", views.staff_signal_list, name="staff_signal_list"),
    path("melden/", views.staff_signal_new, name="staff_signal_new"),
    path("ontvangen/", views.staff_signal_filed, name="staff_signal_filed"),
    path("<id:pk>/", views.staff_signal_detail, name="staff_signal_detail"),
    path("<id:pk>/actie/", views.staff_signal_action, name="staff_signal_action"),
    path("<id:pk>/leerling/", views.staff_signal_pupil, name="staff_signal_pupil"),
    path("bewaartermijn/", views.staff_signal_retention, name="staff_signal_retention"),
]
