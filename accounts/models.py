import functools
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The zones people in the association's states and territories use, as the time-zone menus
# list them first (the members are mostly there).
AMERICAN_ZONES = (
    ("America/New_York", _("Eastern (New York)")),
    ("America/Chicago", _("Central (Chicago)")),
    ("America/Denver", _("Mountain (Denver)")),
    ("America/Phoenix", _("Mountain, no daylight saving (Phoenix)")),
    ("America/Los_Angeles", _("Pacific (Los Angeles)")),
    ("America/Anchorage", _("Alaska (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii (Honolulu)")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico, US Virgin Islands)")),
    ("Pacific/Guam", _("Chamorro (Guam, Northern Mariana Islands)")),
    ("Pacific/Pago_Pago", _("Samoa (American Samoa)")),
)


@functools.cache
def other_zones() -> tuple[tuple[str, str], ...]:
    """Every other IANA zone, by name (read from tzdata once a process: a scan of the disk)."""
    named = {zone for zone, _label in AMERICAN_ZONES}
    others = sorted(z for z in zoneinfo.available_timezones() if z not in named and "/" in z)
    return tuple((zone, zone.replace("_", " ")) for zone in others)


def time_zone_choices() -> list[tuple[str, str]]:
    """American zones first (the members are mostly there), then every other IANA zone."""
    return [*AMERICAN_ZONES, *other_zones()]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: applicant, participant, committee member or staff. Email is the login.

    The profile fields are the answers every application shares, so the next application
    can be prefilled from them.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, choices=time_zone_choices
    )
    is_staff = models.BooleanField(
        _("admin access"),
        default=False,
        help_text=_("May log in to the admin site."),
    )
    is_association_staff = models.BooleanField(
        _("association staff"),
        default=False,
        help_text=_("Sees every program, its reports and exports."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email

    @property
    def sees_all_programs(self) -> bool:
        """Superusers and association staff see every program; committees see their own."""
        return self.is_active and (self.is_superuser or self.is_association_staff)


class PrivilegeChange(models.Model):
    """One change of someone's privileges: the audit trail a staff auditor reads in the admin.

    Written by accounts.services (admin-access, association-staff and superuser status, active,
    a password set by someone else) and by cohorts.services (committee appointments). The names
    are copied as text, so the trail outlives the accounts it names.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="privilege_changes",
        verbose_name=_("person"),
    )
    user_email = models.EmailField(_("person's email"))
    changed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_by_email = models.EmailField(_("changed by (email)"), blank=True)
    what = models.CharField(_("what"), max_length=200)
    before = models.CharField(_("before"), max_length=200, blank=True)
    after = models.CharField(_("after"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("privilege change")
        verbose_name_plural = _("privilege changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_email}: {self.what} {self.before} → {self.after}"
