from django.urls import path

from cases.help import views

urlpatterns = [
    path("<id:pk>/hulp/nieuw/", views.help_plan_new, name="help_plan_new"),
    path("<id:pk>/hulp/<id:plan_id>/", views.help_evaluation_new, name="help_evaluation_new"),
]
