"""The assessment app's part of "Your data" (accounts.personal_data).

Survey answers stay when an account is deleted: they are kept for the program's assessment and
no longer point at anyone once the person's account and applications are anonymous.
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from accounts.personal_data import Section

from .models import Answer, Invitation


def section(*, user) -> Section:
    answers = Answer.objects.select_related("question").order_by("question__order", "pk")
    invitations = (
        Invitation.objects.filter(Q(user=user) | Q(application__applicant=user))
        .select_related("survey__cohort__program", "response")
        .prefetch_related(Prefetch("response__answers", queryset=answers))
        .order_by("survey__closes", "pk")
        .distinct()
    )
    rows = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        rows.append(
            {
                "survey": invitation.survey.title,
                "cohort": str(invitation.survey.cohort),
                "sent": invitation.sent_at,
                "answered": invitation.completed_at,
                "answers": {
                    a.question.text: a.question.display(a.value) for a in response.answers.all()
                }
                if response
                else {},
            }
        )
    return Section("surveys", _("Your surveys"), rows)
