"""The evaluation's charts are drawn at their own size: width and height equal the
viewBox (one unit is one CSS pixel), every text is 11 to 12 px, and a long label is wrapped
or cut with the whole label in a <title> and in the table beside the chart. The same in
the page and in the HTML the yearly PDF is made from."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.evaluation import views
from cases.evaluation.charts import LABEL_CHARS, LABEL_LINES, WIDTH, Bar, bar_chart
from cases.evaluation.models import CaseEvaluation, EvaluationTheme
from cases.evaluation.services import Figure, Row
from cases.workflow import Step
from tests.cases.factories import make_case

LONG_THEME = "Samenwerking met de jeugdgezondheidszorg, het wijkteam en de leerplichtambtenaar"


class Svgs(HTMLParser):
    """Every <svg> of a page with its attributes, its texts' font sizes and titles."""

    def __init__(self) -> None:
        super().__init__()
        self.svgs: list[dict] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "svg":
            self.svgs.append({"attrs": attrs, "font_sizes": [], "titles": [], "lines": []})
        elif self.svgs and tag in {"text", "tspan"}:
            if "font-size" in attrs or tag == "text":
                self.svgs[-1]["font_sizes"].append(attrs.get("font-size"))
            assert "style" not in attrs
        self._in_title = tag == "title"

    def handle_endtag(self, tag) -> None:
        self._in_title = False

    def handle_data(self, data) -> None:
        if self._in_title and self.svgs:
            self.svgs[-1]["titles"].append(data)


def svgs_of(html: str) -> list[dict]:
    parser = Svgs()
    parser.feed(html)
    return parser.svgs


def assert_drawn_at_own_size(html: str) -> list[dict]:
    svgs = [svg for svg in svgs_of(html) if "bars" in svg["attrs"].get("class", "")]
    assert svgs, "no chart on the page"
    for svg in svgs:
        attrs = svg["attrs"]
        x, y, width, height = (float(n) for n in attrs["viewbox"].split())
        assert (x, y) == (0, 0)
        assert float(attrs["width"]) == width and float(attrs["height"]) == height
        assert "preserveaspectratio" not in attrs and "style" not in attrs
        assert svg["font_sizes"]
        assert all(size is not None and 11 <= float(size) <= 12 for size in svg["font_sizes"])
    return svgs


@pytest.fixture
def long_theme(cast):
    """A closed case whose evaluation names a theme far longer than a chart's label."""
    theme = EvaluationTheme.objects.create(school=cast.school, name=LONG_THEME)
    other = EvaluationTheme.objects.create(school=cast.school, name="Termijnen")
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.CLOSED)
    evaluation = CaseEvaluation.objects.create(
        case=case, by=cast.directie, went_well="Overleg.", should_change="Termijnen."
    )
    evaluation.themes_well.set([theme, other])
    return theme


def test_every_chart_on_the_page_is_drawn_at_its_own_size_with_12_px_text(
    cast, client_for, long_theme
):
    html = client_for(cast.directie).get(reverse("cases:evaluation")).content.decode()
    svgs = assert_drawn_at_own_size(html)
    assert any(LONG_THEME in svg["titles"] for svg in svgs)
    assert f'<th scope="row">{LONG_THEME}</th>' in html  # the table has the whole label


def test_the_board_page_draws_its_charts_at_their_own_size_too(cast, client_for):
    make_case(opened_by=cast.leerkracht)
    response = client_for(cast.bestuur).get(reverse("cases:evaluation") + "?scope=board")
    assert_drawn_at_own_size(response.content.decode())


def test_the_yearly_pdf_is_made_from_charts_drawn_at_their_own_size(
    cast, client_for, long_theme, monkeypatch
):
    sources: list[str] = []
    real = views.pdf_from_html

    def keep_source(html: str, **kwargs) -> bytes:
        sources.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(views, "pdf_from_html", keep_source)
    response = client_for(cast.directie).get(reverse("cases:evaluation_pdf"))
    assert response.content.startswith(b"%PDF")
    svgs = assert_drawn_at_own_size(sources[0])
    assert any(LONG_THEME in svg["titles"] for svg in svgs)
    assert "max-width" not in sources[0].split("</style>")[0].split("svg")[-1]


def test_a_long_label_is_wrapped_over_two_lines_and_cut_with_its_title():
    chart = bar_chart([Bar(label=LONG_THEME, value=3, text="3"), Bar("kort", 1, "1")])
    long, short = chart.rows
    assert len(long.lines) == LABEL_LINES and long.cut
    assert all(len(line) <= LABEL_CHARS for line, _baseline in long.lines)
    assert long.lines[-1][0].endswith("…")
    assert not short.cut and short.y == long.height
    assert chart.height == long.height + short.height and chart.width == WIDTH


def test_the_days_chart_keeps_its_note_and_bars_inside_its_width():
    chart = bar_chart(
        [Bar("Stap 1", 12.5, "12,5"), Bar("Stap 2", 0, "minder dan 5 casussen", has_bar=False)]
    )
    for row in chart.rows:
        # About 0.6 em per character at 12 px: the text ends inside the chart.
        assert row.text_x + len(row.text) * 12 * 0.6 <= chart.width


def test_a_figure_with_one_number_is_a_table_alone():
    assert Figure("consent", "Toestemming", [Row("weigeringen", 2)]).chart is None
    assert Figure("cases", "Casussen", [Row("geopend", 2), Row("gesloten", 1)]).chart


def test_a_hidden_count_gets_no_bar():
    chart = Figure("cases", "Casussen", [Row("geopend", 9), Row("gesloten", 2, True)]).chart
    shown, hidden = chart.rows
    assert shown.has_bar and not hidden.has_bar and hidden.text == "*"
