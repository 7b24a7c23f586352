"""The Jinja2 environment, for the few lists that render hundreds of rows in one page
(Mijn acties of a busy aandachtsfunctionaris: 340 items). Django's template engine
spends about a quarter of a millisecond on such a row; Jinja2 compiles the template to
Python and renders it in a fraction of that. Everything else stays a Django template;
a page includes such a list as HTML rendered beforehand (`render_list`).

What the templates may use, beside the request's `csrf_input`:
- `_()` and `ngettext()`: Django's own translations (the same catalogue, the same
  msgids as the Django templates);
- `url(name, *ids)`: `meldcode.links.reverse_ids`, the same address as `{% url %}`;
- `submission_token()`: the one-time token every POST form carries (meldcode.submission).

Autoescape is on (as Django's Jinja2 backend sets it), and an undefined name is an
error, not an empty string.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import Environment, StrictUndefined

from meldcode.links import reverse_ids
from meldcode.submission import submission_token

ENGINE = "jinja2"


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(url=reverse_ids, submission_token=submission_token)
    return env


def render_list(template_name: str, context: dict, request: HttpRequest) -> SafeString:
    """A list rendered by Jinja2 (`templates/jinja2/`), for a Django template to show
    with `{{ ... }}`: escaped by Jinja2's autoescape, so safe as it is."""
    html = engines[ENGINE].get_template(template_name).render(context, request)
    return mark_safe(html)  # every value in it was escaped by Jinja2's autoescape
