from django.urls import path

from cases.actions import views

urlpatterns = [
    path("acties/", views.action_list, name="actions"),
    path(
        "acties/<id:pk>/afspraak/<id:agreement_id>/afgerond/",
        views.action_agreement_done,
        name="action_agreement_done",
    ),
]
