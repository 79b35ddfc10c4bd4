"""The HTTP API under /api/v1/: session authentication for the web, personal tokens otherwise.

The OpenAPI document is served at /api/v1/openapi.json and browsable at /api/v1/docs. The docs
page uses the Swagger UI files that django-ninja ships (``ninja`` is an installed app, so they
are served as static files from the package); nothing is loaded from a CDN.
"""

from __future__ import annotations

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from tuanxue.core.api.errors import TuanxueAPI
from tuanxue.core.api.tokens import user_for_key
from tuanxue.org.api import router as org_router
from tuanxue.selection.api import router as selection_router


class BearerToken(HttpBearer):
    """``Authorization: Bearer <key>`` with a personal API token.

    A bearer header that does not hold an active token is refused at once (401) rather than
    falling back to the session, so a client never acts as someone it did not mean to be.
    """

    def authenticate(self, request, token: str):
        user = user_for_key(token.strip())
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


# Errors: every refusal has one shape and every operation documents the statuses it can answer
# (``tuanxue.core.api.errors``); routers raise, they never build an error body.
api = TuanxueAPI(
    title="Tuanxue API",
    version="1",
    description=(
        "The student union registry and its recruitment (rounds, applications, approval "
        "steps, eligibility), with the rules of the pages."
    ),
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


api.add_router("/", org_router)
api.add_router("/", selection_router)
api.add_router("/", "tuanxue.activities.api.router")
api.add_router("/", "tuanxue.congress.api.router")
api.add_router("/", "tuanxue.review.api.router")
api.add_router("/", "tuanxue.voice.api.router")

# Included by the project's urls.py as ``include("tuanxue.api")``.
urlpatterns = api.urls[0]
app_name = api.urls_namespace
