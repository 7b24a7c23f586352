"""The PDF timing command prints a row per size and leaves nothing behind."""

from io import StringIO

from django.core.management import call_command

from cases.models import Case
from meldcode.models import User


def test_bench_pdf_prints_its_table_and_rolls_back(db):
    out = StringIO()
    call_command("bench_pdf", "--sizes", "3", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("| entries | PDF (s) | weasyprint alone (s)")
    assert lines[2].startswith("| 3 |")
    assert (
        not Case.objects.exists() and not User.objects.filter(username__startswith="bench").exists()
    )
