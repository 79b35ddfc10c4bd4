from django.urls import path

from tuanxue.selection.exits import views as views_exits

app_name = "exits"

urlpatterns = [
    path("s/<slug:school>/my-posts/", views_exits.my_posts, name="my_posts"),
    path("s/<slug:school>/my-posts/<int:membership_id>/resign/", views_exits.resign, name="resign"),
    path(
        "s/<slug:school>/my-posts/<int:membership_id>/handover/",
        views_exits.handover_write,
        name="handover_write",
    ),
    path(
        "s/<slug:school>/seats/<int:body_id>/<slug:title>/handover/",
        views_exits.handover_notes,
        name="handover_notes",
    ),
    path("s/<slug:school>/resignations/", views_exits.resignations, name="resignations"),
    path(
        "s/<slug:school>/resignations/<int:request_id>/decide/",
        views_exits.decide,
        name="decide",
    ),
    path(
        "s/<slug:school>/resignations/<int:request_id>/withdraw/",
        views_exits.withdraw,
        name="withdraw",
    ),
    path("s/<slug:school>/unions/<int:union_id>/exits/", views_exits.union_exits, name="union"),
    path(
        "s/<slug:school>/unions/<int:union_id>/term-end/",
        views_exits.union_term_end,
        name="term_end",
    ),
    path("s/<slug:school>/posts/<int:membership_id>/remove/", views_exits.remove, name="remove"),
]
