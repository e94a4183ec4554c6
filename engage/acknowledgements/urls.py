from django.urls import path

from . import views

app_name = "acknowledgements"

urlpatterns = [
    path("engagement/<uuid:public_id>/", views.table, name="table"),
    path("engagement/<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
