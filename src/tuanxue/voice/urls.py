from django.urls import path

from tuanxue.voice import views
from tuanxue.voice.board import views as views_public
from tuanxue.voice.setup import views as views_settings

app_name = "voice"

V = "s/<slug:school>/voice/"
D = f"{V}d/<int:demand_id>/"

urlpatterns = [
    path(V, views_public.board, name="board"),
    path(f"{V}reception/", views_public.reception, name="reception"),
    path(f"{V}reception/new/", views.reception_new, name="reception_new"),
    path(f"{V}new/", views.submit, name="submit"),
    path(f"{V}mine/", views.mine, name="mine"),
    path(f"{V}desk/", views.desk, name="desk"),
    path(f"{V}queue/", views.queue, name="queue"),
    path(f"{V}queue/export.xlsx", views.queue_export, name="queue_export"),
    path(f"{V}all/", views.officer, name="officer"),
    path(f"{V}settings/", views_settings.voice_settings, name="settings"),
    path(f"{V}abuse/<int:report_id>/decide/", views.abuse_decide, name="abuse_decide"),
    path(D, views.demand, name="demand"),
    path(f"{D}answer/", views.demand_answer, name="answer"),
    path(f"{D}forward/", views.demand_forward, name="forward"),
    path(f"{D}rate/", views.demand_rate, name="rate"),
    path(f"{D}reopen/", views.demand_reopen, name="reopen"),
    path(f"{D}merge/", views.demand_merge, name="merge"),
    path(f"{D}reveal/", views.demand_reveal, name="reveal"),
    path(f"{D}report/", views.demand_report, name="report"),
    path(f"{D}photo/<int:photo_id>/", views.photo, name="photo"),
]
