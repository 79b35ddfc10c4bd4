"""Error pages speak the site's language and keep the site's look."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
def test_not_found_page_is_chinese_by_default(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text
    assert "返回首页" in text
    assert "/static/core/tuanxue.css" in text


@pytest.mark.django_db
def test_not_found_page_follows_the_language_switch(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_is_chinese(kit, client):
    # A student may see a union but may not change its structure.
    user = kit.user(student=True)
    client.force_login(user)
    union = kit.school.unions.get(college__isnull=True)
    response = client.post(f"/s/{kit.school.code}/unions/{union.pk}/departments/new/", {})
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_is_chinese():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器出错了" in text
    assert "boom" not in text


@pytest.mark.django_db
def test_csrf_failure_page_is_chinese(kit):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
