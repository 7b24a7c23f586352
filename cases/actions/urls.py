from django.urls import path

from cases.actions import views

urlpatterns = [
    path("acties/", views.action_list, name="actions"),
]
