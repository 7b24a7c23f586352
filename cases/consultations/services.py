"""Step 2: consult, ask consent, consider the Verwijsindex.

Discussing a pupil by name with anyone outside the school needs the parents' written
consent (DOMAIN.md, "Conversations and consultations"). Without it a consultation is
anonymous; Veilig Thuis can always be asked for advice anonymously. A refused or
withdrawn consent is itself a signal, and is shown wherever the case is weighed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_act, may_view
from cases.consultations.models import Consent, Consultation, VerwijsindexDecision
from cases.models import SCHOOL_WIDE_ROLES, Case, is_loaded
from cases.uploads import upload_store
from meldcode.models import User
from socialmap.models import Organisation

Party = Consultation.Party
Status = Consent.Status


def may_consult(user: User, case: Case) -> bool:
    """Whoever acts in the step, and the ib'er, aandachtsfunctionaris and directie."""
    if not case.is_open or not may_view(user, case):
        return False
    return may_act(user, case) or user.has_role(case.school, *SCHOOL_WIDE_ROLES)


def _locked(case: Case, by: User) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
    if not may_view(by, locked):
        raise PermissionDenied
    if not may_consult(by, locked):
        raise PermissionDenied(_("You may not record consultations in this case."))
    return locked


def _check_date(case: Case, day: dt.date, field: str) -> None:
    if day > timezone.localdate() or day < timezone.localdate(case.opened_at):
        raise ValidationError({field: _("Give a date between the opening of the case and today.")})


def consent_record(
    *, case: Case, by: User, status: str, on: dt.date, form=None, note: str = ""
) -> Consent:
    """Record the parents' consent, its refusal or its withdrawal. Given consent is
    written consent: the signed form comes with it."""
    with transaction.atomic():
        locked = _locked(case, by)
        if status not in Status.values:
            raise ValidationError({"status": _("Choose asked, given, refused or withdrawn.")})
        _check_date(locked, on, "on")
        if status == Status.GIVEN and form is None:
            raise ValidationError(
                {"form": _("Written consent: upload the form the parents signed.")}
            )
        upload = (
            upload_store(case=locked, file=form, by=by, field="form") if form is not None else None
        )
        return Consent.objects.create(
            case=locked, status=status, on=on, form=upload, note=(note or "").strip(), by=by
        )


def consent_now(case: Case) -> Consent | None:
    # Over all of the case's consents (a few), so that the case page's loaded ones answer.
    return max(case.consents.all(), key=lambda consent: (consent.on, consent.pk), default=None)


def consent_refused(case: Case) -> Consent | None:
    """The refusal or withdrawal in force, if any (a warning wherever the case is weighed)."""
    consent = consent_now(case)
    return consent if consent and consent.status in (Status.REFUSED, Status.WITHDRAWN) else None


def consultation_record(
    *,
    case: Case,
    by: User,
    held_on: dt.date,
    party: str,
    anonymous: bool,
    question: str,
    advice: str,
    colleague_role: str = "",
    organisation: Organisation | None = None,
) -> Consultation:
    question, advice = (question or "").strip(), (advice or "").strip()
    with transaction.atomic():
        locked = _locked(case, by)
        errors: dict[str, str] = {}
        if party not in Party.values:
            errors["party"] = _("Choose with whom.")
        if party == Party.COLLEAGUE and not colleague_role.strip():
            errors["colleague_role"] = _("Name the colleague's role, for example care team.")
        if party == Party.ORGANISATION and (
            organisation is None or organisation.school_id != locked.school_id
        ):
            errors["organisation"] = _("Choose an organisation of this school's sociale kaart.")
        if not question:
            errors["question"] = _("Write down the question.")
        if not advice:
            errors["advice"] = _("Write down the advice received.")
        if errors:
            raise ValidationError(errors)
        _check_date(locked, held_on, "held_on")
        outside = party != Party.COLLEAGUE
        consent = consent_now(locked)
        if outside and not anonymous and (consent is None or consent.status != Status.GIVEN):
            raise ValidationError(
                {
                    "anonymous": _(
                        "Discussing the pupil by name outside the school needs the parents' "
                        "written consent, and it is not on record. Consult anonymously, or "
                        "record the consent first."
                    )
                },
                code="consent_missing",
            )
        return Consultation.objects.create(
            case=locked,
            held_on=held_on,
            party=party,
            colleague_role=colleague_role.strip() if party == Party.COLLEAGUE else "",
            organisation=organisation if party == Party.ORGANISATION else None,
            anonymous=bool(anonymous) if outside else False,
            question=question,
            advice=advice,
            by=by,
        )


def verwijsindex_record(
    *, case: Case, by: User, registered: bool, registered_on: dt.date | None, note: str
) -> VerwijsindexDecision:
    note = (note or "").strip()
    with transaction.atomic():
        locked = _locked(case, by)
        if not note:
            raise ValidationError({"note": _("Write down what was considered.")})
        if registered and registered_on is None:
            raise ValidationError({"registered_on": _("Give the date of the registration.")})
        if registered:
            _check_date(locked, registered_on, "registered_on")
        return VerwijsindexDecision.objects.create(
            case=locked,
            registered=registered,
            registered_on=registered_on if registered else None,
            note=note,
            by=by,
        )


# Each of these reads what the case page loaded onto the case (cases.case_page), if it did.


def consultations_of(case: Case) -> list[Consultation]:
    if is_loaded(case, "consultations"):
        return list(case.consultations.all())
    return list(case.consultations.select_related("organisation", "by"))


def consents_of(case: Case) -> list[Consent]:
    if is_loaded(case, "consents"):
        return list(case.consents.all())
    return list(case.consents.select_related("form", "by"))


def verwijsindex_of(case: Case) -> list[VerwijsindexDecision]:
    if is_loaded(case, "verwijsindex_decisions"):
        return list(case.verwijsindex_decisions.all())
    return list(case.verwijsindex_decisions.select_related("by"))


def consultations_for_organisation(organisation: Organisation, user: User) -> QuerySet:
    """Where this organisation was consulted, only in cases `user` may see."""
    return (
        Consultation.objects.filter(
            organisation=organisation, case__in=Case.objects.visible_to(user)
        )
        .select_related("case", "case__pupil")
        .order_by("-held_on", "-pk")
    )


def consent_forms_awaited(user: User) -> QuerySet[Consent]:
    """Consents asked of the parents whose signed form has not come in, in open cases
    `user` may see (the latest consent row of the case says "asked")."""
    latest = Consent.objects.filter(case=OuterRef("case")).order_by("-on", "-pk").values("pk")[:1]
    return (
        Consent.objects.filter(
            case__in=Case.objects.visible_to(user).open(), status=Status.REQUESTED
        )
        .filter(pk=Subquery(latest))
        .select_related("case", "case__pupil")
        .order_by("on", "pk")
    )


def consent_refusals(school_ids: list[int]) -> QuerySet[Consent]:
    """Consents refused or withdrawn (the evaluation counts them per period)."""
    return Consent.objects.filter(
        case__school_id__in=school_ids, status__in=[Status.REFUSED, Status.WITHDRAWN]
    )
