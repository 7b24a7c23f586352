from django import template
from django.db.models import Count, Q

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
    due = entries.due_for_review()
    # One query for both counts; the entries due are read only when there are any.
    counts = entries.active().aggregate(
        active=Count("pk"), due=Count("pk", filter=Q(pk__in=due.values("pk")))
    )
    reviewer = user.has_role(school, *REVIEWERS)
    return {
        "school": school,
        "count": counts["active"],
        "due": list(due.ordered()) if reviewer and counts["due"] else [],
    }
