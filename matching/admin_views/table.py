"""The review as a compact table that scales: filters, sorting and pages from the database,
the full reasons of a pair on demand, mentors' capacities editable, and a CSV of proposals."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application
from cohorts.permissions import is_chair

from .. import proposals_csv, review, selectors, services
from ..forms import ManualPairForm
from ..models import AuditEntry, MatchRun
from .base import CommitteeViewsBase

PAIR_ACTIONS = ("move", "exclude", "dissolve", "rematch")
_PK = 2147483647  # a stand-in id, replaced by each pair's


def _pair_link(action: str, cohort) -> str:
    """The address of an action on a pair of `cohort`, with "{pk}" for the pair: reversed once
    a page rather than once a row."""
    url = reverse(f"admin:matching_{action}", args=[cohort.pk, _PK])
    return url.replace("{", "{{").replace("}", "}}").replace(str(_PK), "{pk}")


# A cell that a spreadsheet would run as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


class ReviewTableViews(CommitteeViewsBase):
    def review(self, request, cohort_id):
        cohort = self.cohort(request, cohort_id)
        if request.method == "POST":
            return self.review_action(request, cohort)
        return self.review_page(request, cohort)

    def review_page(self, request, cohort, *, capacity_error=None, status=200):
        """The review table under the filter (`show`), sort (`o`) and page asked for.

        `capacity_error` is (mentor id, message, what was typed): the mentors view shows that
        mentor alone, with the message beside the field and the typed value kept."""
        show = request.GET.get("show", "current")
        if show not in review.SHOWS:
            show = "current"
        order = request.GET.get("o", "-score")
        if order not in review.SORTS:
            order = "-score"
        if capacity_error:
            show = "mentors"
        summary = review.review_summary(cohort=cohort, with_low=show == "low")
        chair = is_chair(request.user, cohort.program)
        context = {
            "is_chair": chair,
            "title": _("Review pairings: %(cohort)s") % {"cohort": cohort},
            "summary": summary,
            "headline": review.headline(summary),
            "show": show,
            "order": order,
            "columns": review.sort_columns(order),
            "filters": review.filter_links(summary, show),
            "latest_run": MatchRun.objects.filter(cohort=cohort)
            .select_related("started_by")
            .first(),
            "audit": AuditEntry.objects.filter(cohort=cohort).select_related("actor")[:10],
            "waitlist": selectors.waitlist_offer(cohort=cohort),
        }
        number = request.GET.get("page")
        if show == "unmatched":
            page = Paginator(review.unmatched_mentees(cohort=cohort), review.PAGE_SIZE).get_page(
                number
            )
            mentees = list(page.object_list)
            reasons = review.unmatched_reasons(
                cohort=cohort, mentees=mentees, ran=context["latest_run"] is not None
            )
            context["unmatched"] = [(m, reasons.get(m.pk, "")) for m in mentees]
            accepted = Application.objects.filter(
                cohort=cohort, status=Application.Status.ACCEPTED
            ).order_by("full_name", "pk")
            context["manual_form"] = ManualPairForm(
                mentees=review.unmatched_mentees(cohort=cohort),
                mentors=accepted.as_mentor(),
                auto_id="manual_%s",
            )
        elif show == "mentors":
            mentors = review.mentors_with_places(cohort=cohort)
            only = capacity_error[0] if capacity_error else request.GET.get("mentor")
            if only:
                try:
                    mentors = mentors.filter(pk=int(only))
                except ValueError:
                    mentors = mentors.none()
            page = Paginator(mentors, review.PAGE_SIZE).get_page(number)
            rows = review.mentor_rows(page.object_list)
            if capacity_error:
                for row in rows:
                    row.error, row.typed = capacity_error[1], capacity_error[2]
            context.update(mentor_rows=rows, only_mentor=bool(only))
        else:
            pairings = review.ordered(
                review.pairings_shown(cohort=cohort, show=show, low_below=summary.low_below),
                order,
            )
            paginator = Paginator(pairings, review.PAGE_SIZE)
            known = summary.count_of(show)
            if known is not None:
                paginator.count = known  # already counted by the summary: no second COUNT
            page = paginator.get_page(number)
            pairings = list(page.object_list)
            context["caption"] = ngettext(
                "%(filter)s: page %(page)d of %(pages)d, %(n)d pair",
                "%(filter)s: page %(page)d of %(pages)d, %(n)d pairs",
                paginator.count,
            ) % {
                "filter": review.SHOWS[show],
                "page": page.number,
                "pages": paginator.num_pages,
                "n": paginator.count,
            }
            context["rows"] = review.rows_of(
                pairings,
                links={name: _pair_link(name, cohort) for name in PAIR_ACTIONS},
                is_chair=chair,
                rematch=review.rematchable(cohort=cohort, pairings=pairings),
            )
        context["page"] = page
        response = self.render(request, "admin/matching/review.html", context, cohort)
        response.status_code = status
        return response

    def capacity(self, request, cohort_id, application_id):
        cohort = self.cohort(request, cohort_id)
        mentor = self.application(cohort, application_id)
        if request.method != "POST":
            return redirect(self.review_url(cohort) + f"?show=mentors&mentor={mentor.pk}")
        typed = request.POST.get("capacity", "")
        try:
            capacity = int(typed)
        except ValueError:
            capacity = None
        try:
            services.mentor_capacity_set(mentor=mentor, capacity=capacity, by=request.user)
        except ValidationError as error:
            message = " ".join(error.messages)
            return self.review_page(
                request, cohort, capacity_error=(mentor.pk, message, typed), status=400
            )
        messages.success(
            request,
            _("%(name)s now takes up to %(n)s mentees.") % {"name": mentor.full_name, "n": capacity}
            if capacity != 1
            else _("%(name)s now takes 1 mentee.") % {"name": mentor.full_name},
        )
        return redirect(self.back_to_review(request, cohort))

    def review_csv(self, request, cohort_id):
        """Every current pairing with its score, each criterion's points and its reasons."""
        cohort = self.cohort(request, cohort_id)
        with_demographics = (
            request.user.sees_all_programs or cohort.program.committee_sees_demographics
        )
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # a byte-order mark, so spreadsheets read the names right
            yield writer.writerow(proposals_csv.csv_header(with_demographics=with_demographics))
            for row in proposals_csv.csv_rows(cohort=cohort, with_demographics=with_demographics):
                yield writer.writerow([_cell(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"proposals-{cohort.program.slug}-{cohort.slug}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
