from django import template

from socialmap.access import REVIEWERS
from socialmap.models import Organisation

register = template.Library()


@register.inclusion_tag("socialmap/_home_panel.html", takes_context=True)
def socialmap_home(context: template.Context) -> dict:
    """The start-page panel: the review warning only for those who keep the sociale kaart."""
    user, school = context["user"], context.get("current_school")
    if school is None:
        return {"school": None}
    entries = Organisation.objects.of_school(school)
    reviewer = user.has_role(school, *REVIEWERS)
    return {
        "school": school,
        "count": entries.active().count(),
        "due": list(entries.due_for_review().ordered()) if reviewer else [],
    }
