"""Recruitment pages (being built)."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


rounds = round_detail = round_new = apply = my_applications = application_detail = queue = _missing
