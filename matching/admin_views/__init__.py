"""The committee's screens in the admin: run matching, follow the run, review, adjust, announce.

Every view is wrapped by the admin site (login and committee membership), finds its cohort
through scope_queryset (another program's cohort answers 404, like a missing one), and calls
the services, which check member-versus-chair rights again.

The views are split by step (runs.py, table.py for the review table, review.py for acting on
pairs, announce.py, with the shared helpers in base.py) and put back together here as the one
CommitteeViews the PairingAdmin binds.
"""

from .announce import AnnounceViews
from .base import CommitteeViewsBase
from .review import ReviewViews
from .runs import RunViews
from .table import ReviewTableViews

__all__ = ["CommitteeViews"]


class CommitteeViews(RunViews, ReviewTableViews, ReviewViews, AnnounceViews, CommitteeViewsBase):
    """Bound to the PairingAdmin, which supplies the admin site's context and URLs."""
