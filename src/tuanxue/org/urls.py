from django.urls import include, path

from tuanxue.org import views
from tuanxue.org.audit import views as views_audit
from tuanxue.org.rotation import views as views_rotation
from tuanxue.org.structure import views as views_manage

app_name = "org"

urlpatterns = [
    path("s/<slug:school>/", views.school_home, name="school_home"),
    path("s/<slug:school>/structure/", views.structure, name="structure"),
    path("s/<slug:school>/unions/<int:union_id>/", views.union_detail, name="union"),
    path(
        "s/<slug:school>/unions/<int:union_id>/departments/new/",
        views_manage.department_new,
        name="department_new",
    ),
    path(
        "s/<slug:school>/unions/<int:union_id>/posts/new/",
        views_manage.membership_new,
        name="membership_new",
    ),
    path(
        "s/<slug:school>/unions/<int:union_id>/rotation/",
        views_rotation.rotation_page,
        name="rotation",
    ),
    path("s/<slug:school>/bodies/<int:body_id>/remit/", views_manage.remit_edit, name="remit"),
    path(
        "s/<slug:school>/posts/<int:membership_id>/end/",
        views_manage.membership_end,
        name="membership_end",
    ),
    path("s/<slug:school>/colleges/", views.colleges, name="colleges"),
    path("s/<slug:school>/colleges/<int:college_id>/", views.college_detail, name="college"),
    path("s/<slug:school>/students/", views.students, name="students"),
    path("s/<slug:school>/students/<int:student_id>/", views.student_detail, name="student"),
    path("s/<slug:school>/audit/", views_audit.audit_log, name="audit"),
    path(
        "s/<slug:school>/audit/checkpoints.jsonl",
        views_audit.checkpoints_download,
        name="audit_checkpoints",
    ),
    path(
        "s/<slug:school>/audit/<str:target_type>/<str:target_id>/",
        views_audit.object_history,
        name="history",
    ),
    path("s/<slug:school>/imports/", include("tuanxue.org.imports.urls")),
    path("jobs/", include("tuanxue.org.jobs.urls")),
]
