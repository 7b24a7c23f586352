"""The form renderer: Django's Jinja2 renderer for Django's own widget templates, which
renders a <select> of 160 options without 160 Django template includes (the case page's
largest cost after its queries), with the same HTML. The project's `templates/jinja2/`
comes first, for the select that writes its options in place
(`django/forms/widgets/select.html`). A widget template that exists only for Django's
template engine (the admin's own widgets) is rendered by that engine."""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class FormRenderer(Jinja2):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    settings.BASE_DIR / "templates" / "jinja2",
                    Path(django.forms.__file__).parent / "jinja2",
                ],
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
