from django.urls import path

from cases.report import views

urlpatterns = [
    path("<id:pk>/melding/nieuw/", views.report_new, name="report_new"),
    path("<id:pk>/melding/uitzondering/", views.exception_new, name="report_exception_new"),
    path("<id:pk>/melding/<id:report_id>/antwoord/", views.response_new, name="report_response"),
    path("<id:pk>/belblad/<str:kind>/", views.call_sheet_view, name="call_sheet"),
]
