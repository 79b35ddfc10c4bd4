from django.urls import path

from tuanxue.activities import views
from tuanxue.activities.proposals import views as views_proposals

app_name = "activities"

A = "s/<slug:school>/activities/"
P = "s/<slug:school>/proposals/"

urlpatterns = [
    path(A, views.catalogue, name="catalogue"),
    path(f"{A}mine/", views.manage, name="manage"),
    path(f"{A}new/", views.create, name="new"),
    path(f"{A}filings/", views.filings, name="filings"),
    path(f"{A}<int:activity_id>/", views.detail, name="detail"),
    path(f"{A}<int:activity_id>/edit/", views.edit, name="edit"),
    path(f"{A}<int:activity_id>/submit/", views.submit, name="submit"),
    path(f"{A}<int:activity_id>/cancel/", views.cancel, name="cancel"),
    path(f"{A}<int:activity_id>/decide/", views.decide, name="decide"),
    path(f"{A}<int:activity_id>/rate/", views.rate, name="rate"),
    path(P, views_proposals.proposal_list, name="proposals"),
    path(f"{P}new/", views_proposals.proposal_new, name="proposal_new"),
    path(f"{P}to-decide/", views_proposals.department_list, name="proposal_queue"),
    path(f"{P}<int:proposal_id>/", views_proposals.proposal_detail, name="proposal"),
    path(
        f"{P}<int:proposal_id>/support/",
        views_proposals.proposal_support,
        name="proposal_support",
    ),
    path(
        f"{P}<int:proposal_id>/decide/",
        views_proposals.proposal_decide,
        name="proposal_decide",
    ),
]
