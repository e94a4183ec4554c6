from django.urls import path

from . import views

app_name = "engagements"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.new, name="new"),
    path("apcc/", views.apcc_queue, name="apcc_queue"),
    path("review/timing/", views.review_timing, name="review_timing"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/<uuid:public_id>/", views.priority_detail, name="priority_detail"),
    path("priorities/<uuid:public_id>/remove/", views.priority_remove, name="priority_remove"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/questions/", views.questions, name="questions"),
    path("<uuid:public_id>/route/", views.route, name="route"),
    path("<uuid:public_id>/wider-route/", views.wider_request, name="wider_request"),
    path("<uuid:public_id>/wider-route/decide/", views.wider_decide, name="wider_decide"),
    path("<uuid:public_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:public_id>/return/", views.return_to_lead, name="return"),
    path("<uuid:public_id>/routing/", views.routing_record_page, name="routing"),
    path("<uuid:public_id>/routing/add-body/", views.audience_add, name="audience_add"),
    path("<uuid:public_id>/close/", views.close, name="close"),
    path("<uuid:public_id>/label/", views.release, name="release"),
    path("<uuid:public_id>/share-responses/", views.share_responses, name="share_responses"),
    path("<uuid:public_id>/priorities/new/", views.priority_new, name="priority_new"),
]
