from django.urls import path

from cases.links import views

urlpatterns = [
    path("<id:pk>/koppelen/", views.link_new, name="link_new"),
]
