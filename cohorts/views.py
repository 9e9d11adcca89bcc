from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import public_pages, selectors, services
from .forms import CallSubscriptionForm
from .models import CallSubscription, Program
from .timeline import PHASE_DESCRIPTIONS, Phase

# Requests for "Tell me when applications open" one address (IP) may make in an hour: each may
# send a confirmation email, so a script cannot make the site write to a thousand strangers.
SUBSCRIBE_LIMIT_PER_HOUR = 10


def home(request):
    def draw(context):
        cards = selectors.program_cards(now=timezone.now())
        context |= {"cards": cards, "subscribe_form": CallSubscriptionForm()}
        content = public_pages.render_content(
            "cohorts/home_content.html", context, "Mentoring programs"
        )
        return content, [card.program for card in cards]

    return _public_page(request, public_pages.served(request, "home", draw))


def program_detail(request, slug):
    def draw(context):
        now = timezone.now()
        program = selectors.program_detail(slug=slug)
        cohorts = [{"cohort": c, "phase": c.phase(now)} for c in program.cohorts.all()]
        context |= {
            "program": program,
            "card": selectors.program_card(program=program, now=now),
            "cohorts": cohorts,
            "subscribe_form": CallSubscriptionForm(),
        }
        content = public_pages.render_content(
            "cohorts/program_detail_content.html", context, program.name
        )
        return content, [program]

    return _public_page(request, public_pages.served(request, f"program:{slug}", draw))


def cohort_detail(request, program_slug, slug):
    def draw(context):
        now = timezone.now()
        cohort = selectors.cohort_detail(program_slug=program_slug, slug=slug)
        phase = cohort.phase(now)
        context |= {
            "cohort": cohort,
            "program": cohort.program,
            "phase": phase,
            "phase_description": PHASE_DESCRIPTIONS[phase],
            "phases": [(p, p == phase) for p in Phase],
            "timeline": cohort.timeline(now),
            "days_left": cohort.days_left_to_apply(now),
            "next": cohort.next_date(now),
        }
        content = public_pages.render_content(
            "cohorts/cohort_detail_content.html",
            context,
            f"{cohort.program.short_name} {cohort.name}",
        )
        return content, [cohort.program]

    page = f"cohort:{program_slug}:{slug}"
    return _public_page(request, public_pages.served(request, page, draw))


def _public_page(request, content):
    return render(request, "cohorts/public_page.html", {"content": content})


def _over_limit(request) -> bool:
    key = f"call-subscribe:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > SUBSCRIBE_LIMIT_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return False


@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    """Tell me when applications open: an email address, confirmed by a link (double opt-in)."""
    program = get_object_or_404(Program, slug=slug)
    form = CallSubscriptionForm(request.POST if request.method == "POST" else None)
    limited = False
    if request.method == "POST" and form.is_valid():
        if _over_limit(request):
            limited = True
        else:
            services.call_subscription_request(program=program, email=form.cleaned_data["email"])
            return redirect("cohorts:subscription_sent", slug=program.slug)
    card = selectors.program_card(program=program, now=timezone.now())
    return render(
        request,
        "cohorts/subscribe.html",
        {"program": program, "form": form, "card": card, "limited": limited},
        status=429 if limited else 200,
    )


def subscription_sent(request, slug):
    program = get_object_or_404(Program, slug=slug)
    return render(request, "cohorts/subscription_sent.html", {"program": program})


@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    """The link in the confirmation email shows a button; pressing it confirms. A link checker
    that fetches every link in an email therefore confirms nothing."""
    subscription = CallSubscription.objects.select_related("program").filter(token=token).first()
    if subscription is None or subscription.status == CallSubscription.Status.UNSUBSCRIBED:
        raise Http404
    if request.method == "POST":
        subscription = services.call_subscription_confirm(token=token)
        return render(
            request, "cohorts/subscription_confirmed.html", {"subscription": subscription}
        )
    return render(request, "cohorts/subscription_confirm.html", {"subscription": subscription})


@csrf_exempt  # the token is the authority; mail clients' one-click POST carries no CSRF token
@require_http_methods(["GET", "POST"])
def subscription_unsubscribe(request, token):
    """One click: opening the link unsubscribes (and so does a mail client's one-click POST)."""
    try:
        subscription = services.call_subscription_unsubscribe(token=token)
    except CallSubscription.DoesNotExist:
        raise Http404 from None
    return render(request, "cohorts/subscription_unsubscribed.html", {"subscription": subscription})
