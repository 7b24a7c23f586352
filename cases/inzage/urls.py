from django.urls import path

from cases.inzage import anonymised_views, views

urlpatterns = [
    path("<id:pk>/inzage/", views.inzage, name="inzage"),
    path("<id:pk>/inzage/<id:request_id>/", views.inzage_request, name="inzage_request"),
    path("<id:pk>/inzage/<id:request_id>/verlengen/", views.inzage_extend, name="inzage_extend"),
    path("<id:pk>/inzage/<id:request_id>/weigeren/", views.inzage_refuse, name="inzage_refuse"),
    path("<id:pk>/inzage/<id:request_id>/beoordelen/", views.inzage_review, name="inzage_review"),
    path(
        "<id:pk>/inzage/<id:request_id>/beoordelen/klaar/",
        views.inzage_review_submit,
        name="inzage_review_submit",
    ),
    path("<id:pk>/inzage/<id:request_id>/concept/", views.inzage_preview, name="inzage_preview"),
    path("<id:pk>/inzage/<id:request_id>/vrijgeven/", views.inzage_approve, name="inzage_approve"),
    path("<id:pk>/inzage/kopie/<id:release_id>/", views.inzage_download, name="inzage_download"),
]

urlpatterns += [
    path(
        "<id:pk>/anoniem/beoordelen/", anonymised_views.anonymised_review, name="anonymised_review"
    ),
    path(
        "<id:pk>/anoniem/beoordelen/klaar/",
        anonymised_views.anonymised_review_submit,
        name="anonymised_review_submit",
    ),
]
