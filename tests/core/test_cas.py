"""Campus sign-on against a minimal CAS server that answers /serviceValidate (CAS 2.0) and
/p3/serviceValidate (CAS 3.0) as the protocol specifies."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

CAS_NS = "http://www.yale.edu/tp/cas"


class CasServer:
    """Issues tickets for campus ids and validates each ticket once, for one service URL."""

    def __init__(self):
        self.tickets: dict[str, tuple[str, str]] = {}
        self.validations: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path in ("/serviceValidate", "/p3/serviceValidate"):
                    server.validations.append({"path": url.path, **query})
                    body = server.validate(query.get("ticket", ""), query.get("service", ""))
                    self.send_response(200)
                    self.send_header("Content-Type", "application/xml; charset=utf-8")
                    self.end_headers()
                    self.wfile.write(body.encode())
                else:
                    self.send_response(404)
                    self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def issue(self, campus_id: str, service: str) -> str:
        ticket = f"ST-{len(self.tickets) + 1}-campus"
        self.tickets[ticket] = (campus_id, service)
        return ticket

    def validate(self, ticket: str, service: str) -> str:
        found = self.tickets.pop(ticket, None)
        if found is None or found[1] != service:
            return (
                f'<cas:serviceResponse xmlns:cas="{CAS_NS}">'
                '<cas:authenticationFailure code="INVALID_TICKET">'
                f"Ticket {ticket} not recognized</cas:authenticationFailure></cas:serviceResponse>"
            )
        return (
            f'<cas:serviceResponse xmlns:cas="{CAS_NS}"><cas:authenticationSuccess>'
            f"<cas:user>{found[0]}</cas:user></cas:authenticationSuccess></cas:serviceResponse>"
        )

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def cas_server(settings):
    server = CasServer()
    settings.CAS_SERVER_URL = server.url
    yield server
    server.stop()


def _sign_on(client, cas_server, campus_id):
    start = client.get(reverse("cas_login"))
    assert start.status_code == 302
    login_url = urlparse(start["Location"])
    assert start["Location"].startswith(cas_server.url + "login")
    service = parse_qs(login_url.query)["service"][0]
    ticket = cas_server.issue(campus_id, service)
    callback = urlparse(service)
    return client.get(f"{callback.path}?{callback.query}&ticket={ticket}".replace("?&", "?"))


@pytest.mark.parametrize("version", ["2", "3"])
def test_a_student_signs_on_with_the_campus_id(client, kit, cas_server, settings, version):
    settings.CAS_VERSION = version
    user = kit.user("zhangsan")
    kit.student(user=user, student_no="2020011101")
    response = _sign_on(client, cas_server, "2020011101")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    expected = "/p3/serviceValidate" if version == "3" else "/serviceValidate"
    assert cas_server.validations[-1]["path"] == expected


def test_staff_sign_on_by_staff_number(client, kit, cas_server):
    from tuanxue.org.models import StaffPerson

    user = kit.user("teacher")
    StaffPerson.objects.create(
        school=kit.school, staff_no="T0099", name="王老师", unit="校团委", user=user
    )
    _sign_on(client, cas_server, "T0099")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_unknown_campus_id_is_refused_with_a_clear_page(client, kit, cas_server):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    response = _sign_on(client, cas_server, "2099999999")
    assert response.status_code == 403
    body = response.content.decode()
    assert "2099999999" in body and "统一身份认证" in body
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users  # nobody is created


def test_a_forged_ticket_logs_nobody_in(client, kit, cas_server):
    kit.student(user=kit.user("zhangsan"), student_no="2020011101")
    response = client.get(reverse("cas_login") + "?ticket=ST-forged")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_without_a_cas_server_the_campus_login_is_off(client, db):
    assert client.get(reverse("cas_login")).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert 'id="cas-login"' not in page


def test_login_page_offers_the_campus_login_and_keeps_passwords(client, db, cas_server):
    page = client.get(reverse("login")).content.decode()
    assert 'id="cas-login"' in page
    assert 'name="password"' in page
