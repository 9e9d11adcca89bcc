"""The access-control crawl: every address of the URLconf, as every kind of person, with the ids,
slugs and tokens of another program and other people.

What it does (tests/security/crawl_world.py builds the world):

1. Lists every URL pattern by walking the resolver (the admin's and allauth's included), so a
   new view is crawled the day it is added.
2. Fills each pattern's parameters with "theirs": integers with FOREIGN_ID (the id of the first
   object of every model of the other program), slugs with the other program's and cohort's,
   `content_type_id` with every model the admin registers, tokens with the other person's dead
   tokens (a replaced survey link, a turned-off calendar). Where a pattern takes two objects, it
   is also requested with the first one "mine" and the others "theirs".
3. Requests each address with GET and with POST as anonymous, an applicant, a participant of
   another pair, a committee member and a chair of another program, and association staff.
4. POSTs every admin action of every model with the other program's id, and every form of the
   persona's own pages with the other program's ids in place of its own.

The rules, for every response:

- never a 5xx;
- never a canary: no page, header or export shows the other program's private data (CANARY) to
  anyone but association staff, and none shows check-in notes or a live token (SECRET, the
  other person's survey and calendar tokens) to anyone at all;
- an address with an object parameter is public if the anonymous visitor (or any account)
  gets 200 for it (a program's or cohort's page, the application form), and so is an address
  under a public one (the form's saved-as-you-go draft); otherwise it answers 404 (missing
  and not yours alike), except:
  a 302 to the login page for an anonymous visitor, or to the admin's login for someone
  without admin access on an admin address (the login flow; it is the same for any id); a 405
  for a method the view refuses before looking anything up, when the other method answered by
  these rules; a redirect from a view that only moves an address (RedirectView). Association
  staff see every program: their admin and report addresses are theirs.
- nothing of the other program changes (its rows are compared before and after everything but
  staff's requests).

The number of requests is printed (run with -s) and kept above a floor, so the crawl cannot
quietly shrink.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic import RedirectView

from tests.security.crawl_world import FOREIGN_ID, MINE_ID, World, build

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PERSONAS = ["anonymous", "applicant", "participant", "member", "chair", "staff"]
LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/")
# allauth asks for the password again before a passkey is changed, whatever its id.
REAUTHENTICATE = "/accounts/reauthenticate/"
NEVER_POST = {"account_logout", "admin:logout"}  # the crawl keeps its sessions
ID_PARAMS = re.compile(r"^(pk|id|object_id|.*_id)$")
FIXED_VALUES = {
    "dataset": "applications",
    "app_label": "cohorts",
    "key": "x-y",
    "uidb36": "1",
    "rest": f"problemreport/{FOREIGN_ID}/change/",
    "url": "no-such-page/",
}


@dataclass
class Route:
    template: str  # "/programs/{program_slug}/cohorts/{slug}/"
    params: list[str]
    name: str | None
    moves: bool  # a RedirectView: no lookup, only another address

    def object_params(self) -> list[str]:
        return [p for p in self.params if p not in FIXED_VALUES]


def _template(pattern) -> tuple[str, list[str]]:
    text = str(pattern)
    if "(?P<" in text:  # a regular expression: named groups become placeholders
        params = re.findall(r"\(\?P<(\w+)>", text)
        for name in params:
            text = _replace_group(text, name)
        text = text.replace("^", "").replace("$", "").replace("\\", "")
        return text, params
    params = [name for _conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", text)]
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text), params


def _replace_group(text: str, name: str) -> str:
    start = text.index(f"(?P<{name}>")
    depth, end = 0, start
    for end in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            break
    return text[:start] + "{" + name + "}" + text[end + 1 :]


def routes() -> list[Route]:
    found = []

    def walk(patterns, prefix="", namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace])) or None
                part, _params = _template(entry.pattern)
                walk(entry.url_patterns, prefix + part, inner)
            elif isinstance(entry, URLPattern):
                part, _params = _template(entry.pattern)
                template = "/" + prefix + part
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                view_class = getattr(entry.callback, "view_class", None)
                moves = bool(view_class and issubclass(view_class, RedirectView))
                found.append(Route(template, re.findall(r"{(\w+)}", template), name, moves))

    walk(get_resolver().url_patterns)
    return found


def _values(param: str, route: Route, world: World, mine: bool) -> list[str]:
    if param in FIXED_VALUES:
        return [FIXED_VALUES[param]]
    program = world.mine if mine else world.theirs
    cohort = world.my_cohort if mine else world.their_cohort
    if param == "content_type_id":
        return [str(ContentType.objects.get_for_model(m).pk) for m in admin.site._registry]
    if param == "token":
        return list(world.dead_tokens.values())
    if param == "program_slug" or (param == "slug" and "program_slug" not in route.params):
        return [program.slug]
    if "slug" in param:
        return [cohort.slug]
    if ID_PARAMS.match(param):
        return [str(MINE_ID if mine else FOREIGN_ID)]
    raise AssertionError(f"the crawl does not know how to fill {param!r} in {route.template}")


def addresses(route: Route, world: World, *, mine_first: bool = False, all_mine: bool = False):
    """The route's addresses: every object parameter theirs (or the first, or all, mine)."""
    objects = route.object_params()
    combos = [{}]
    for param in route.params:
        mine = all_mine or (mine_first and objects and param == objects[0])
        combos = [
            {**combo, param: value}
            for combo in combos
            for value in _values(param, route, world, mine)
        ]
    return [route.template.format(**combo) for combo in combos]


class Crawler:
    def __init__(self, world: World):
        self.world = world
        self.count = 0
        self.failures: list[str] = []
        self.clients = {}
        self.forbidden = {persona: world.forbidden(persona) for persona in world.personas}
        for persona, user in world.personas.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            self.clients[persona] = client
        # An account with nothing at all: what it may open, every account may (applying).
        self.clients["newcomer"] = Client()
        self.clients["newcomer"].force_login(world.newcomer)
        self.forbidden["newcomer"] = self.forbidden["applicant"]

    def request(self, persona: str, method: str, url: str, data=None):
        self.count += 1
        client = self.clients[persona]
        response = getattr(client, method.lower())(url, data or {})
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        text = body.decode("utf-8", "replace").lower() + " " + response.get("Location", "").lower()
        location = response.get("Location", "")
        forbidden = self.forbidden[persona]
        if persona in ("member", "chair") and url.startswith(("/admin/", "/reports/")):
            forbidden = self.world.forbidden_on(persona, url)
        shown = sorted(s for s in forbidden if s in text)
        where = f"{persona} {method} {url} -> {response.status_code}"
        if response.status_code >= 500:
            self.failures.append(f"{where}: server error")
        if shown:
            self.failures.append(f"{where}: shows {shown}")
        return response.status_code, location, text

    def fail(self, message: str) -> None:
        self.failures.append(message)


def acceptable(persona: str, url: str, status: int, location: str) -> bool:
    """May `persona` get `status` for an address holding another's object (see the docstring)?"""
    if status == 404:
        return True
    if status == 302 and persona == "anonymous" and location.startswith(LOGIN_PREFIXES):
        return True
    if status == 302 and persona != "anonymous" and location.startswith(REAUTHENTICATE):
        return True
    admin_address = url.startswith("/admin/")
    no_admin_access = persona in ("anonymous", "applicant", "participant")
    return (
        status == 302 and admin_address and no_admin_access and location.startswith("/admin/login/")
    )


# Admin views that answer every method alike (a redirect, a read-only page).
GET_ONLY = ("admin:view_on_site",)
GET_ONLY_SUFFIXES = ("_history",)


def skip_post(persona: str, url: str, route: Route) -> bool:
    """POSTs that could tell nothing a GET did not: the admin turns away those without admin
    access before it reads the method; redirects and read-only admin views answer every method
    alike; an admin page without an object is POSTed to by the admin-actions phase; staff's
    admin pages are theirs to read. The crawl keeps its sessions: no logout."""
    if route.name in NEVER_POST or route.moves or route.name in GET_ONLY:
        return True
    if not url.startswith("/admin/"):
        return False
    if persona in ("anonymous", "applicant", "participant", "staff"):
        return True
    return not route.object_params() or (route.name or "").endswith(GET_ONLY_SUFFIXES)


def staff_scope(persona: str, url: str) -> bool:
    return persona == "staff" and url.startswith(("/admin/", "/reports/"))


def _parent(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[0] + "/"


def crawl_addresses(crawler: Crawler, all_routes: list[Route], personas: list[str]) -> None:
    world = crawler.world
    public_urls: set[str] = set()
    for route in all_routes:
        for url in addresses(route, world):
            has_objects = bool(route.object_params())
            public = False
            if has_objects:
                # Public: open to the anonymous visitor, or to every account (a fresh one).
                status, anon_location, _text = crawler.request("anonymous", "GET", url)
                public = status == 200
                if not public and status == 302 and anon_location.startswith(LOGIN_PREFIXES[0]):
                    public = crawler.request("newcomer", "GET", url)[0] == 200
                # An action of a public page (the application form's saved-as-you-go draft):
                # it acts on the person's own answers to a call everyone may answer.
                public = public or _parent(url) in public_urls
                if public:
                    public_urls.add(url)
            for persona in personas:
                answers = {}
                for method in ("GET", "POST"):
                    if method == "POST" and skip_post(persona, url, route):
                        continue
                    if persona == "anonymous" and method == "GET" and has_objects:
                        answers[method] = (status, anon_location)  # asked above
                        continue
                    code, location, _text = crawler.request(persona, method, url)
                    answers[method] = (code, location)
                if not has_objects or public or route.moves or staff_scope(persona, url):
                    continue
                for method, (code, location) in answers.items():
                    other = [a for m, a in answers.items() if m != method]
                    refused_first = code == 405 and any(acceptable(persona, url, *a) for a in other)
                    if not (acceptable(persona, url, code, location) or refused_first):
                        crawler.fail(f"{persona} {method} {url} -> {code} {location}: not a 404")


def crawl_mixed(crawler: Crawler, all_routes: list[Route], personas: list[str]) -> None:
    """Addresses with two objects: the first mine, the others theirs."""
    for route in all_routes:
        objects = route.object_params()
        if len(objects) < 2 or route.moves or objects[0] == "content_type_id":
            continue
        for url in addresses(route, crawler.world, mine_first=True):
            for persona in personas:
                for method in ("GET", "POST"):
                    code, location, _text = crawler.request(persona, method, url)
                    if not (acceptable(persona, url, code, location) or code == 405):
                        crawler.fail(f"{persona} {method} {url} -> {code}: mine + theirs, not 404")


class _Forms(HTMLParser):
    """The POST forms of a page: action, fields (with a value each) and submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms, self._form = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "buttons": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            kind = (attrs.get("type") or "").lower()
            if not name:
                return
            if tag == "button" or kind == "submit":
                self._form["buttons"].append((name, attrs.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                self._form["fields"].setdefault(name, attrs.get("value") or "on")
            else:
                self._form["fields"].setdefault(name, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


ID_FIELDS = ("pairing", "application", "mentor", "mentee", "cohort", "program", "survey")
ID_FIELDS += ("milestone", "goal", "_selected_action")


def their_ids(fields: dict[str, str]) -> dict[str, str]:
    """The form with every id-like value (and every empty choice) replaced by theirs."""
    changed = {}
    for name, value in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        if value.isdigit() or name in ID_FIELDS or name.endswith(ID_FIELDS):
            changed[name] = str(FOREIGN_ID)
        else:
            changed[name] = value
    return changed


STANDARD_ADMIN_VIEWS = ("_change", "_delete", "_history")


def crawl_own_forms(crawler: Crawler, all_routes: list[Route], personas: list[str]) -> None:
    """Each persona's own pages (their ids), each POST form sent with theirs in the ids.

    The admin's standard change, delete and history pages are left out: their foreign-key
    choices are the scoped querysets (tests/cohorts/test_admin_scoping.py), and the crawl's
    other phases request them with theirs."""
    for route in all_routes:
        if "token" in route.params or route.moves or not route.object_params():
            continue
        if (route.name or "").endswith(STANDARD_ADMIN_VIEWS):
            continue
        for url in addresses(route, crawler.world, all_mine=True):
            for persona in personas:
                code, _location, text = crawler.request(persona, "GET", url)
                if code != 200 or "<form" not in text:
                    continue
                parser = _Forms()
                parser.feed(text)
                for form in parser.forms:
                    action = form["action"] or url
                    if not action.startswith("/") or "logout" in action or "/delete/" in action:
                        continue
                    for button in form["buttons"] or [None]:
                        data = their_ids(form["fields"])
                        if button:
                            data[button[0]] = button[1]
                        crawler.request(persona, "POST", action, data)


def crawl_admin_actions(crawler: Crawler, personas: list[str]) -> None:
    """Every action of every admin, POSTed with the other program's id."""
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        names = {"delete_selected"}
        for action in model_admin.actions or []:
            names.add(action if isinstance(action, str) else action.__name__)
        for name in sorted(names):
            for persona in personas:
                crawler.request(
                    persona,
                    "POST",
                    url,
                    {"action": name, "_selected_action": [FOREIGN_ID], "index": 0},
                )


def theirs_snapshot() -> dict[str, list]:
    """Every row of the other program and its people: their ids start at FOREIGN_ID."""
    rows = {}
    for model in apps.get_models():
        pk = model._meta.pk
        if model._meta.proxy or pk.get_internal_type() not in ("AutoField", "BigAutoField"):
            continue
        values = list(model._default_manager.filter(pk__gte=FOREIGN_ID).order_by("pk").values())
        for row in values:
            row.pop("last_login", None)
        rows[model._meta.label] = values
    return rows


def test_no_one_reaches_another_programs_or_persons_objects(postgres, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    started = time.monotonic()
    world = build()
    built = time.monotonic()
    crawler = Crawler(world)
    all_routes = routes()
    not_staff = [p for p in PERSONAS if p != "staff"]
    before = theirs_snapshot()

    phases = []

    def phase(name, crawl, *args):
        count, began = crawler.count, time.monotonic()
        crawl(crawler, all_routes, *args) if crawl is not crawl_admin_actions else crawl(
            crawler, *args
        )
        phases.append(f"{name}: {crawler.count - count} in {time.monotonic() - began:.1f} s")

    phase("theirs", crawl_addresses, not_staff)
    phase("mine + theirs", crawl_mixed, ["participant", "member", "chair"])
    phase("own forms", crawl_own_forms, ["participant", "member", "chair"])
    phase("admin actions", crawl_admin_actions, not_staff)
    after = theirs_snapshot()
    for label in before:
        if before[label] != after[label]:
            crawler.fail(f"{label} of the other program changed: {before[label]} -> {after[label]}")
    phase("staff", crawl_addresses, ["staff"])

    elapsed = time.monotonic() - built
    print(
        f"\naccess crawl: {len(all_routes)} URL patterns, {crawler.count} requests "
        f"({'; '.join(phases)}), world built in {built - started:.1f} s, "
        f"crawled in {elapsed:.1f} s"
    )
    assert not crawler.failures, f"{len(crawler.failures)} problems:\n" + "\n".join(
        crawler.failures[:60]
    )
    assert crawler.count > 2500
