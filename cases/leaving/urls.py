from django.urls import path

from cases.leaving import views

urlpatterns = [
    path("<id:pk>/vertrek/", views.leaving_checklist, name="leaving"),
    path("<id:pk>/vertrek/<str:item>/", views.leaving_item, name="leaving_item"),
    path("<id:pk>/vertrek-sluiten/", views.leaving_close, name="leaving_close"),
]
