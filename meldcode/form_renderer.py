"""The form renderer: Django's Jinja2 renderer for Django's own widget templates, which
renders a <select> of 160 options without 160 Django template includes (the case page's
largest cost after its queries), with the same HTML. The project's `templates/jinja2/`
comes first, for the select that writes its options in place
(`django/forms/widgets/select.html`). A widget template that exists only for Django's
template engine (the admin's own widgets) is rendered by that engine."""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist, engines
from django.utils.functional import cached_property

from meldcode.jinja2 import ENGINE


class FormRenderer(Jinja2):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                # The project's Jinja2 templates (settings.TEMPLATES), then Django's own.
                "DIRS": [*engines[ENGINE].dirs, Path(django.forms.__file__).parent / "jinja2"],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )

    @cached_property
    def django_templates(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.django_templates.get_template(template_name)
