from tuanxue.org.access import viewer_for
from tuanxue.org.people.rules import may_see_people


def viewer(request):
    """Puts the acting user's viewer (school, roles, scopes) into every template, and whether
    the menu offers the people pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"viewer": None}
    current = viewer_for(request)
    return {"viewer": current, "may_see_people": may_see_people(current)}
