from tuanxue.org.access import viewer_for


def viewer(request):
    """Puts the acting user's viewer (school, roles, scopes) into every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"viewer": None}
    return {"viewer": viewer_for(request)}
