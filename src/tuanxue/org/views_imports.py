"""Upload pages for the registry imports: upload, preview, confirm."""

from django.shortcuts import render

from tuanxue.org.access import get_school_for_viewer, viewer_for
from tuanxue.org.views import login_required_page


@login_required_page
def imports_index(request, school: str):
    viewer = viewer_for(request)
    school_obj = get_school_for_viewer(school, viewer, write=True)
    return render(
        request, "org/imports.html", {"school": school_obj, "jobs": school_obj.imports.all()[:20]}
    )
