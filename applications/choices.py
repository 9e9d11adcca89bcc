"""The answer lists of the application forms, as the real programs ask them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    BOTH = "both", _("Both mentor and mentee")


class LibraryType(models.TextChoices):
    ACADEMIC = "academic", _("Academic library")
    PUBLIC = "public", _("Public library")
    SCHOOL = "school", _("School library")
    SPECIAL = "special", _("Special library")
    GOVERNMENT = "government", _("Government library")
    VENDOR = "vendor", _("Vendor")
    LIS = "lis", _("LIS faculty or student")
    OTHER = "other", _("Other")


class LibraryTypePreference(models.TextChoices):
    NONE = "none", _("No preference")
    SAME = "same", _("Someone from the same type of library")
    DIFFERENT = "different", _("Someone from a different type of library")


class MeetingMode(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    IN_PERSON = "in_person", _("In person")


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("Current member")
    LAPSED = "lapsed", _("Lapsed member, renewing")
    NOT_MEMBER = "not_member", _("Not a member")
    FUNDED_REQUEST = "funded_request", _("Not a member; requesting funded membership")


class Demographic(models.TextChoices):
    """Opt-in, confidential; used only for a matching preference the applicant asks for."""

    BIPOC = "bipoc", _("Black, Indigenous, or a Person of Color")
    LGBTQ = "lgbtq", _("LGBTQ+")
    DISABILITY = "disability", _("Person with a disability")
    FIRST_GENERATION = "first_gen", _("First-generation college graduate")
    VETERAN = "veteran", _("Veteran")


# US states, the District of Columbia and the territories, then "outside the US".
US_STATES = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
]
US_TERRITORIES = [
    ("AS", "American Samoa"),
    ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
]
OUTSIDE_US = "INTL"
STATE_CHOICES = [
    (_("States and the District of Columbia"), US_STATES),
    (_("Territories"), US_TERRITORIES),
    (_("Elsewhere"), [(OUTSIDE_US, _("Outside the United States (name the country)"))]),
]
STATE_NAMES = dict(US_STATES + US_TERRITORIES)
