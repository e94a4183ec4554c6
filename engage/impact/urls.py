from django.urls import path

from .views import cases, evidence, sector

app_name = "impact"

urlpatterns = [
    path("evidence/", evidence.evidence_list, name="evidence_list"),
    path("evidence/new/", evidence.evidence_create, name="evidence_create"),
    path("evidence/<uuid:public_id>/", evidence.evidence_detail, name="evidence"),
    path("evidence/<uuid:public_id>/change/", evidence.evidence_edit, name="evidence_edit"),
    path("evidence/<uuid:public_id>/share/", evidence.evidence_share, name="evidence_share"),
    path("evidence/<uuid:public_id>/unshare/", evidence.evidence_unshare, name="evidence_unshare"),
    path("evidence/<uuid:public_id>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("attachment/<uuid:public_id>/", evidence.attachment, name="attachment"),
    path(
        "attachment/<uuid:public_id>/remove/",
        evidence.attachment_remove,
        name="attachment_remove",
    ),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<uuid:public_id>/", cases.case_detail, name="case"),
    path("cases/<uuid:public_id>/change/", cases.case_edit, name="case_edit"),
    path("cases/<uuid:public_id>/pdf/", cases.case_pdf, name="case_pdf"),
    path("cases/<uuid:public_id>/share/", cases.case_share, name="case_share"),
    path("cases/<uuid:public_id>/unshare/", cases.case_unshare, name="case_unshare"),
    path("cases/<uuid:public_id>/delete/", cases.case_delete, name="case_delete"),
    path("sector/", sector.sector_view, name="sector_view"),
]
