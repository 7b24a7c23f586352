"""The Jinja2 lists (meldcode.jinja2) escape every value, whatever the settings say:
`{% jinja %}` marks what they render safe."""

from django.template import engines
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
