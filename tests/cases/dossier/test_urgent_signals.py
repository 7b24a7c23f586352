"""VGV and eergerelateerd geweld: a separate, sourced group whose tag asks to call now."""

from cases.dossier import signal_list
from cases.dossier.services import entry_add
from cases.workflow import Step


def test_vgv_and_honour_related_violence_are_a_separate_sourced_group():
    category = next(c for c in signal_list.categories() if c.code == "vgv-eergerelateerd")
    assert category.urgent
    assert "Veilig Thuis" in category.source
    assert {group.name for group in category.groups} == {
        "Vrouwelijke genitale verminking (VGV)",
        "Eergerelateerd geweld",
    }
    assert all(signal.urgent for signal in category.signals)


def test_the_other_signals_do_not_ask_for_an_immediate_call():
    assert not signal_list.get("lichamelijk-welzijn.oververmoeid").urgent


def test_a_vgv_tag_shows_contact_veilig_thuis_now_on_the_case(cast, case_at, client_for):
    case = case_at(Step.SIGNALS)
    page = client_for(cast.leerkracht).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="contact-veilig-thuis"' not in page
    entry_add(
        case=case,
        author=cast.leerkracht,
        kind="observation",
        occurred_on=case.opened_at.date(),
        description="Vertelt over een lange reis en een feest waarna ze 'vrouw' is.",
        place="Klas",
        situation="Kringgesprek",
        signals=["vgv-eergerelateerd.vgv.reis-of-feest-land-van-herkomst"],
    )
    page = client_for(cast.leerkracht).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="contact-veilig-thuis"' in page
    assert "0800-2000" in page
