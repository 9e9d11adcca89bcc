"""The committee's side of My mentoring: pair progress (goals, last contact, problems),
goals, check-ins, problem reports, attendance; calendar feeds for association staff.

Each module registers its admins; the committee cockpit and match health (participants.health)
register theirs too."""

from ..health import admin as _health_admin  # noqa: F401
from . import attendance, feeds, problems, progress  # noqa: F401
