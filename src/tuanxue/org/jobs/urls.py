from django.urls import path

from tuanxue.org.jobs import views as views_jobs

urlpatterns = [
    path("<int:job_id>/", views_jobs.job_detail, name="job_detail"),
    path("<int:job_id>/progress/", views_jobs.job_progress, name="job_progress"),
]
