"""The Jinja2 environment, for the few lists that render hundreds of rows in one page:
Mijn acties of a busy aandachtsfunctionaris (340 items) and the entries of the dossier
(25 a page, on the case page and in the chronology). Django's template engine spends
about a quarter of a millisecond on such a row; Jinja2 compiles the template to Python
and renders it in a fraction of that. Everything else stays a Django template, which
shows such a list with `{% jinja "<template>" name=value ... %}` (a builtin tag).

What the templates (`templates/jinja2/`) may use, beside the request's `csrf_input`:
- `_()` and `ngettext()`: Django's own translations (the same catalogue, the same
  msgids as the Django templates);
- `url(name, *args)`: the same address as `{% url %}`;
- `submission_token()`: the one-time token every POST form carries (meldcode.submission);
- `django_include(name, **context)`: a Django template (with the request and its context
  processors), for a part that is rarely shown (the body map of an observation);
- the filters `date`, `linebreaksbr`, `capfirst` and `filesizeformat` of Django's
  templates, with the same output (dates in the school's time zone and language).

Autoescape is always on, and an undefined name is an error, not an empty string.
Unlike `{% translate %}`, Jinja2's `_()` treats its text as a format string: a msgid with
a literal `%` must write it `%%`.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.template import defaultfilters, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import Environment, StrictUndefined, pass_context

from meldcode.form_labels import marked_label, show_when
from meldcode.links import reverse_ids
from meldcode.submission import submission_token

ENGINE = "jinja2"


def url(name: str, *args) -> str:
    if all(isinstance(arg, int) for arg in args):
        return reverse_ids(name, *args)
    return reverse(name, args=args)


def date(value, format_string: str) -> str:
    """Django's `date` filter, which shows a moment in the school's time zone."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, format_string)


def linebreaksbr(value) -> SafeString:
    return defaultfilters.linebreaksbr(value, autoescape=True)


@pass_context
def django_include(jinja_context, template_name: str, **context) -> SafeString:
    return render_to_string(template_name, context, request=jinja_context.get("request"))


def environment(**options) -> Environment:
    # Every value escaped, whatever the settings say: `{% jinja %}` marks the result safe.
    options["autoescape"] = True
    options["undefined"] = StrictUndefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(url=url, submission_token=submission_token, django_include=django_include)
    env.filters.update(
        date=date,
        linebreaksbr=linebreaksbr,
        capfirst=defaultfilters.capfirst,
        filesizeformat=defaultfilters.filesizeformat,
        marked_label=marked_label,
        show_when=show_when,
    )
    return env


register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name: str, **values) -> SafeString:
    """`{% jinja "cases/dossier/_entries.html" entries=dossier_entries %}`: a list rendered
    by Jinja2 in a Django template, with the request of the page."""
    html = engines[ENGINE].get_template(template_name).render(values, context.get("request"))
    return mark_safe(html)  # every value in it was escaped by Jinja2's autoescape
