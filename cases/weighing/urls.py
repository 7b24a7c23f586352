from django.urls import path

from cases.weighing import views

urlpatterns = [
    path("<id:pk>/weging/", views.weighing_new, name="weighing_new"),
]
