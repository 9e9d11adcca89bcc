from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cohorts.models import AreaOfInterest, Cohort

from .choices import (
    STATE_CHOICES,
    LibraryType,
    LibraryTypePreference,
    MembershipStatus,
    Role,
)

ROLE_PHRASES = {
    Role.MENTOR: _("a mentor"),
    Role.MENTEE: _("a mentee"),
    Role.BOTH: _("a mentor and a mentee"),
}

# The longest answer to one of the application's free-text questions (model and form).
ANSWER_LIMIT = 3000

# The longest committee note on an application.
NOTE_LIMIT = 5000


class ApplicationQuerySet(models.QuerySet):
    def for_program(self, program):
        return self.filter(cohort__program=program)

    def submitted(self):
        """Everything past the draft stage that has not been withdrawn."""
        return self.exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])

    def as_mentor(self):
        return self.filter(role__in=[Role.MENTOR, Role.BOTH])

    def as_mentee(self):
        return self.filter(role__in=[Role.MENTEE, Role.BOTH])


class Application(models.Model):
    """One person's application to one cohort, as a mentor, a mentee or both.

    One per person per cohort (a database constraint). A "both" applicant is matched as a mentor
    and as a mentee, never to themselves.
    """

    Role = Role

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Not matched this cycle")
        INELIGIBLE = "ineligible", _("Ineligible")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    role = models.CharField(_("applying as"), max_length=10, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # About you
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    library_type = models.CharField(
        _("type of library or organization"),
        max_length=20,
        choices=LibraryType.choices,
        blank=True,
    )
    state = models.CharField(
        _("state or territory"), max_length=4, choices=STATE_CHOICES, blank=True
    )
    country = models.CharField(
        _("country"), max_length=100, blank=True, help_text=_("If outside the United States.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of library experience"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(70)],
    )

    # Membership and eligibility
    membership_status = models.CharField(
        _("membership"), max_length=20, choices=MembershipStatus.choices, blank=True
    )
    membership_number = models.CharField(_("membership number"), max_length=20, blank=True)
    membership_attested = models.BooleanField(
        _("I confirm my membership is current"), default=False
    )

    membership_confirmed_at = models.DateTimeField(
        _("membership confirmed"),
        null=True,
        blank=True,
        help_text=_("When staff confirmed the membership (or granted a funded membership)."),
    )
    membership_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("membership confirmed by"),
    )
    is_adult = models.BooleanField(_("I am 18 or older"), default=False)
    children_service_connection = models.TextField(
        _("your connection to library service to children"),
        blank=True,
        max_length=ANSWER_LIMIT,
        validators=[MaxLengthValidator(ANSWER_LIMIT)],
    )

    # Interests and goals
    areas = models.ManyToManyField(
        AreaOfInterest, blank=True, related_name="applications", verbose_name=_("areas of interest")
    )
    mentee_goals = models.TextField(
        _("what you hope to gain"),
        blank=True,
        max_length=ANSWER_LIMIT,
        validators=[MaxLengthValidator(ANSWER_LIMIT)],
    )
    mentor_offer = models.TextField(
        _("what you can offer a mentee"),
        blank=True,
        max_length=ANSWER_LIMIT,
        validators=[MaxLengthValidator(ANSWER_LIMIT)],
    )
    previous_mentoring = models.TextField(
        _("earlier mentoring experience"),
        blank=True,
        max_length=ANSWER_LIMIT,
        validators=[MaxLengthValidator(ANSWER_LIMIT)],
    )

    # Working together
    meeting_modes = models.JSONField(_("ways to meet"), default=list, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours a month you can give"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many mentees you can take"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    library_type_preference = models.CharField(
        _("library type of your match"),
        max_length=10,
        choices=LibraryTypePreference.choices,
        default=LibraryTypePreference.NONE,
    )
    prefers_same_region = models.BooleanField(
        _("I would like someone in my region or time zone"), default=False
    )

    # Opt-in, confidential: used only for the matching preferences the applicant asks for,
    # never shown to the other party.
    demographics = models.JSONField(_("how you identify (optional)"), default=list, blank=True)
    demographic_preference = models.JSONField(
        _("I would like a match who shares these"), default=list, blank=True
    )

    # Commitments
    commits_orientation = models.BooleanField(
        _("I will attend the virtual orientation"), default=False
    )
    commits_assessment = models.BooleanField(
        _("I will take part in the end-of-program assessment"), default=False
    )

    # Committee
    committee_notes = models.TextField(
        _("committee notes"),
        blank=True,
        help_text=_("Seen only by the committee and staff."),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )
    priority = models.BooleanField(
        _("priority"),
        default=False,
        help_text=_("Accepted but not paired last cycle: favored in this cohort's matching."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["cohort", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"], name="application_one_per_person_per_cohort"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True)
                | models.Q(capacity__gte=1, capacity__lte=3),
                name="application_capacity_1_to_3",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status", "role"])]

    def __str__(self):
        return f"{self.full_name or self.applicant} ({self.get_role_display()}, {self.cohort})"

    def get_absolute_url(self):
        return reverse("applications:detail", kwargs={"pk": self.pk})

    @property
    def mail_to(self) -> str:
        """Where every email to this applicant goes: their account's address, which they sign in
        with. Never the contact email typed in the form (shown to their partner), so the form
        cannot make the program send its emails to somebody else."""
        return self.applicant.email

    @property
    def is_mentor(self) -> bool:
        return self.role in (Role.MENTOR, Role.BOTH)

    @property
    def is_mentee(self) -> bool:
        return self.role in (Role.MENTEE, Role.BOTH)

    @property
    def role_phrase(self) -> str:
        """ "a mentor", "a mentee" or "a mentor and a mentee", as in "You applied as a mentee"."""
        return str(ROLE_PHRASES.get(self.role, ""))

    @property
    def mentor_capacity(self) -> int:
        """How many mentees this applicant takes as a mentor (0 if not a mentor)."""
        if not self.is_mentor:
            return 0
        return self.capacity or self.cohort.default_mentor_capacity


class ApplicationDecision(models.Model):
    """One committee decision on an application, with its note: the decisions' audit trail.

    Written only by applications.services.application_decide, never edited or deleted.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("application"),
    )
    from_status = models.CharField(
        _("status before"), max_length=20, choices=Application.Status.choices
    )
    to_status = models.CharField(_("decision"), max_length=20, choices=Application.Status.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), db_index=True)

    PROGRAM_PATH = "application__cohort__program"

    class Meta:
        verbose_name = _("application decision")
        verbose_name_plural = _("application decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.application.full_name}: {self.get_to_status_display()}"


# The program's own questions, the cohort's copies and the answers (applications/questions/).
from .questions.models import (  # noqa: E402
    ApplicationAnswer,
    CohortQuestion,
    CohortQuestionnaire,
    ProgramQuestion,
)

__all__ = [
    "Application",
    "ApplicationAnswer",
    "ApplicationDecision",
    "ApplicationQuerySet",
    "CohortQuestion",
    "CohortQuestionnaire",
    "ProgramQuestion",
]
