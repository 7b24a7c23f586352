from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("cases")

    def ready(self) -> None:
        # Parts register the records their steps need before a case may leave them.
        from cases import seal
        from cases.help import services as help_services  # noqa: F401
        from cases.leaving import services as leaving_services  # noqa: F401
        from cases.meetings import services as meetings_services  # noqa: F401
        from cases.report import services as report_services  # noqa: F401
        from cases.weighing import services as weighing_services  # noqa: F401

        # Every record of a case is sealed into the case's hash chain as it is saved.
        seal.connect()
