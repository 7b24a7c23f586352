"""The Jinja2 lists (meldcode.jinja2) escape every value, whatever the settings say:
`{% jinja %}` marks what they render safe."""

from django import forms
from django.template import engines
from django.template.loader import render_to_string
from jinja2 import DictLoader

from meldcode.jinja2 import environment


def test_the_environment_escapes_even_when_asked_not_to():
    env = environment(autoescape=False, loader=DictLoader({"t": "{{ value }}"}))
    assert env.get_template("t").render(value="<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_the_configured_engine_escapes():
    template = engines["jinja2"].from_string("{{ value }}")
    assert template.render({"value": '<script>"x"</script>'}) == (
        "&lt;script&gt;&#34;x&#34;&lt;/script&gt;"
    )


class _Typed(forms.Form):
    note = forms.CharField(label="Notitie", help_text="Schrijf <b>feiten</b>")
    choice = forms.ChoiceField(label="Keuze", choices=[("a", "<i>A</i>")], widget=forms.RadioSelect)


def test_a_form_field_escapes_what_was_typed_and_its_error():
    """cases/_field.html (Jinja2, included by every Django form template) escapes the value,
    the error and the help text, and keeps the label's required-mark and the widget."""
    form = _Typed(data={"note": '<script>alert("x")</script>', "choice": "<b>z</b>"})
    form.is_valid()
    form.add_error("note", "Niet <script>goed</script>")
    html = render_to_string("cases/_field.html", {"field": form["note"]}) + render_to_string(
        "cases/_field.html", {"field": form["choice"]}
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Schrijf &lt;b&gt;feiten&lt;/b&gt;" in html
    assert '<span class="required-mark">(verplicht)</span>' in html
    assert 'aria-describedby="id_choice_helptext' not in html  # no help text: none named
    assert 'id="id_choice_error"' in html  # the refused choice's error, next to it
    assert "&lt;i&gt;A&lt;/i&gt;" in html  # a choice's label is text, not markup
