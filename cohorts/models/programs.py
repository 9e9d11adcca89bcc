"""Programs and who runs them: the membership rules, the program, its areas of interest and its
committee."""

import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import time_zone_choices

# The longest text of one of a program's pages (description, guidelines...).
TEXT_LIMIT = 10000


class MembershipRule(models.TextChoices):
    REQUIRED = "required", _("Membership required")
    NOT_REQUIRED = "not_required", _("Membership not required")
    EXCEPTION_ROUTE = "exception_route", _("Membership required, with an exception route")


class Program(models.Model):
    """A mentoring program run by an association's committee, in yearly cohorts."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=40, help_text=_('Used in menus and emails, e.g. "Core".')
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    organization = models.CharField(_("organization"), max_length=200)
    committee_name = models.CharField(
        _("committee"),
        max_length=200,
        blank=True,
        help_text=_("The committee that runs the program."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(
        _("description"), max_length=TEXT_LIMIT, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    objectives = models.TextField(
        _("objectives"),
        blank=True,
        help_text=_("One per line."),
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    guidelines = models.TextField(
        _("guidelines"),
        blank=True,
        help_text=_("One per line."),
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    mentor_expectations = models.TextField(
        _("what mentors can expect"),
        blank=True,
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    mentee_expectations = models.TextField(
        _("what mentees can expect"),
        blank=True,
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/Chicago",
        choices=time_zone_choices,
        help_text=_("Deadlines end at 23:59 on the deadline day in this time zone."),
    )
    mentor_membership = models.CharField(
        _("membership rule for mentors"),
        max_length=20,
        choices=MembershipRule.choices,
        default=MembershipRule.REQUIRED,
    )
    mentee_membership = models.CharField(
        _("membership rule for mentees"),
        max_length=20,
        choices=MembershipRule.choices,
        default=MembershipRule.REQUIRED,
    )
    membership_exception = models.TextField(
        _("exception route"),
        blank=True,
        help_text=_(
            "Who may apply without membership and how, e.g. funded membership for "
            "applicants who identify as BIPOC."
        ),
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    membership_url = models.URLField(
        _("where to join or renew"),
        blank=True,
        help_text=_("The association's page to join or renew; linked from the application form."),
    )
    membership_rechecked_at_start = models.BooleanField(
        _("membership re-checked at start"),
        default=False,
        help_text=_("Participants must be members when formal mentoring starts."),
    )
    allows_both_roles = models.BooleanField(
        _("one application may take both roles"),
        default=True,
        help_text=_(
            "On: a person may apply as mentor and mentee at once. Off: mentors and mentees "
            "apply separately, and the form does not offer “Both mentor and mentee”."
        ),
    )
    mentor_min_years_experience = models.PositiveSmallIntegerField(
        _("minimum years of experience for mentors"), default=0
    )
    goal_sheet_due_days = models.PositiveSmallIntegerField(
        _("goal sheet due (days after the match)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the program sets no goal-sheet date."),
    )
    assigns_committee_liaison = models.BooleanField(
        _("assigns a committee liaison to each pair"), default=False
    )
    working_with_a_match = models.TextField(
        _("working with your match"),
        blank=True,
        help_text=_("Advice for matched pairs, shown on My mentoring. One point per line."),
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    suggested_activities = models.TextField(
        _("suggested activities"),
        blank=True,
        help_text=_("Shown to matched pairs on My mentoring. One activity per line."),
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    resources = models.TextField(
        _("mentoring resources"),
        blank=True,
        help_text=_(
            "Shown to matched pairs on My mentoring. One per line; a web address in a line "
            "becomes a link."
        ),
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    membership_number_pattern = models.CharField(
        _("membership number format"),
        max_length=200,
        default=r"[0-9]{7,10}",
        blank=True,
        help_text=_(
            "A regular expression the whole membership number must match, e.g. [0-9]{7,10} "
            "for seven to ten digits. Leave empty to accept any number."
        ),
    )
    mentees_confirm_children_service = models.BooleanField(
        _("mentees confirm age and a connection to library service to children"),
        default=False,
        help_text=_("Mentees confirm they are 18 or older and describe their connection."),
    )
    committee_sees_demographics = models.BooleanField(
        _("committee members may see opt-in demographics"),
        default=False,
        help_text=_(
            "Off: only association staff see how applicants identify. The answers are used "
            "only for the matching preferences applicants ask for."
        ),
    )

    PROGRAM_PATH = ""

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cohorts:program_detail", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        super().clean()
        if self.membership_number_pattern:
            try:
                re.compile(self.membership_number_pattern)
            except re.error as error:
                raise ValidationError(
                    {"membership_number_pattern": _("Not a valid pattern: %s") % error}
                ) from error

    def membership_number_is_valid(self, number: str) -> bool:
        """Whether `number` has this program's format (any number when no format is set)."""
        if not self.membership_number_pattern:
            return bool(number)
        try:
            return re.fullmatch(self.membership_number_pattern, number) is not None
        except re.error:
            return bool(number)

    def objective_list(self) -> list[str]:
        return _lines(self.objectives)

    def guideline_list(self) -> list[str]:
        return _lines(self.guidelines)

    def working_with_a_match_list(self) -> list[str]:
        return _lines(self.working_with_a_match)

    def suggested_activity_list(self) -> list[str]:
        return _lines(self.suggested_activities)

    def resource_list(self) -> list[str]:
        return _lines(self.resources)


def _lines(text: str) -> list[str]:
    return [line.strip(" •-\t") for line in text.splitlines() if line.strip(" •-\t")]


class AreaOfInterest(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="areas", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    PROGRAM_PATH = "program"

    class Meta:
        verbose_name = _("area of interest")
        verbose_name_plural = _("areas of interest")
        ordering = ["program", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="area_unique_slug"),
            models.UniqueConstraint(fields=["program", "name"], name="area_unique_name"),
        ]

    def __str__(self):
        return self.name


class CommitteeMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        STAFF = "staff", _("Staff liaison")

    APPROVING_ROLES = (Role.CHAIR, Role.STAFF)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="committee_memberships",
        verbose_name=_("user"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="committee_memberships",
        verbose_name=_("program"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    PROGRAM_PATH = "program"

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["program", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"], name="committee_one_role_per_program"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.program.short_name})"
