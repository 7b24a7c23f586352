"""The sociale kaart: the partner organisations a school calls on during the meldcode."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meldcode.models import Board, School
from socialmap.validators import phone_digits, validate_dutch_phone

# An entry not checked for this long is flagged for review on the start page.
REVIEW_AFTER = dt.timedelta(days=365)


class Category(models.TextChoices):
    # The order here is the order of the printed overview: emergencies first.
    EMERGENCY = "spoed", _("emergency and crisis")
    VEILIG_THUIS = "veilig_thuis", "Veilig Thuis"
    POLICE = "politie", _("police")
    YOUTH_HEALTH = "jgz", _("youth health care (GGD)")
    SCHOOL_SOCIAL_WORK = "smw", _("school social work")
    CJG = "cjg", _("CJG and neighbourhood team")
    GGZ = "ggz", "GGZ"
    MEE = "mee", "MEE"
    CARE_TEAM = "zat", _("care advice team")
    ATTENDANCE = "leerplicht", _("compulsory education")
    OTHER = "overig", _("other")


def category_order() -> Case:
    """An expression that sorts on the position of the category in `Category`."""
    return Case(
        *(When(category=value, then=Value(i)) for i, value in enumerate(Category.values)),
        default=Value(len(Category.values)),
    )


class ContactDetails(models.Model):
    """What a school and a board template both say about an organisation."""

    name = models.CharField(_("organisation"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(
        _("phone number"), max_length=30, blank=True, validators=[validate_dutch_phone]
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def phone_uri(self) -> str:
        return f"tel:{phone_digits(self.phone)}" if self.phone else ""

    @property
    def email_uri(self) -> str:
        return f"mailto:{self.email}" if self.email else ""


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> OrganisationQuerySet:
        return self.filter(archived_at__isnull=False)

    def of_school(self, school: School) -> OrganisationQuerySet:
        return self.filter(school=school)

    def ordered(self) -> OrganisationQuerySet:
        return self.order_by(category_order(), Lower("name"), "pk")

    def search(self, *, text: str = "", category: str = "") -> OrganisationQuerySet:
        result = self
        if text:
            result = result.filter(name__icontains=text)
        if category:
            result = result.filter(category=category)
        return result

    def due_for_review(self, today: dt.date | None = None) -> OrganisationQuerySet:
        today = today or timezone.localdate()
        return self.active().filter(last_checked__lt=today - REVIEW_AFTER)


class Organisation(ContactDetails):
    """One entry of a school's sociale kaart.

    Never deleted once anything points at it: cases refer to it with PROTECT, and the
    interface only archives. Every change is kept by django-simple-history.
    """

    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("school"),
    )
    last_checked = models.DateField(
        _("last checked"),
        default=timezone.localdate,
        help_text=_("The date someone last checked that these details are still right."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # Name and category identify an entry within a school (the CSV import relies on it).
            models.UniqueConstraint(
                "school",
                Lower("name"),
                "category",
                condition=Q(archived_at__isnull=True),
                name="organisation_unique_active_name_per_category",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("socialmap:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def is_due_for_review(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return not self.is_archived and self.last_checked < today - REVIEW_AFTER

    def is_referenced(self) -> bool:
        """True when any other row points at this entry (a case, a report, ...).

        Walks every reverse relation, so a model added later is covered without
        changing this code; historical rows of simple-history are hidden relations
        and do not count.
        """
        for relation in self._meta.related_objects:
            related = relation.related_model._base_manager
            if related.filter(**{relation.field.name: self}).exists():
                return True
        return False


class BoardTemplate(ContactDetails):
    """An entry a board keeps for its schools to copy into their own sociale kaart."""

    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        related_name="socialmap_templates",
        verbose_name=_("board"),
    )

    class Meta:
        verbose_name = _("board template")
        verbose_name_plural = _("board templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "board",
                Lower("name"),
                "category",
                name="boardtemplate_unique_name_per_category",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("socialmap:template_edit", args=[self.pk])
