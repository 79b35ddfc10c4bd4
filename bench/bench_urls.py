"""The benchmark's URLconf: the whole application plus two bare views to compare with.

- ``POST /bench/claim/<n>``: the floor of a sign-up. No authentication, no audit: a
  conditional UPDATE of one slot row and an INSERT, in one commit, on the same database.
- ``GET /bench/ping``: a Django view that touches no database.

Served only with ``bench_settings`` (the benchmark's gunicorn), never by the application.
"""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def claim(request, n: int):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE bench_slot SET taken = taken + 1 WHERE id = 1 AND taken < slots")
        won = cursor.rowcount == 1
        cursor.execute(
            "INSERT INTO bench_claim (slot_id, student, won) VALUES (1, %s, %s) "
            "ON CONFLICT (student) DO NOTHING",
            [n, won],
        )
    return JsonResponse({"won": won}, status=201)


def bare_ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/claim/<int:n>", claim),
    path("bench/ping", bare_ping),
    path("", include("tuanxue.urls")),
]
