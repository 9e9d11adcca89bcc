"""One mixin that scopes every ModelAdmin to the programs the person may see.

A model opts in by naming the lookup path from itself to its Program in `PROGRAM_PATH`
("" for Program itself, "program" for a Cohort, "cohort__program" for an Application).
Lists, change pages reached by URL, list filters, autocomplete and foreign-key choices all
go through the scoped queryset, so a chair of one program never sees another's objects.
An object outside the scope answers 404, exactly like one that does not exist.

Two refinements, both asked of cohorts.permissions:

- A model that is the chairs' alone declares `CHAIRS_ONLY` (True for every row, or a callable
  returning a Q of the rows that are): for committee members who do not chair the row's program
  those rows are not in the scoped queryset at all (problem reports, the emails that carry
  them), so lists, change pages, inlines, previews and exports built on it never show them.
- An admin whose objects only chairs change sets `committee_edits = "chair"` (program
  settings, cohorts, milestones, areas): members read them.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from . import permissions


def program_path_of(model: type[Model]) -> str | None:
    return getattr(model, "PROGRAM_PATH", None)


def _in_programs(path: str, programs: QuerySet) -> Q:
    if path == "":
        return Q(pk__in=programs.values("pk"))
    return Q(**{f"{path}__in": programs.values("pk")})


def chairs_only_rows(model: type[Model]) -> Q | bool | None:
    """The rows of `model` only the program's chairs and staff may see (see CHAIRS_ONLY)."""
    rule = getattr(model, "CHAIRS_ONLY", None)
    return rule() if callable(rule) else rule


def scope_queryset(queryset: QuerySet, user, *, chaired: bool = False) -> QuerySet:
    """Restrict `queryset` to objects of the programs `user` may see (with `chaired`, only of
    the programs `user` chairs), without the chairs-only rows of programs `user` does not chair.
    """
    path = program_path_of(queryset.model)
    if path is None:
        raise TypeError(f"{queryset.model.__name__} declares no PROGRAM_PATH.")
    if permissions.is_staff(user):
        return queryset
    if chaired:
        return queryset.filter(_in_programs(path, permissions.chaired_programs(user)))
    queryset = queryset.filter(_in_programs(path, permissions.programs_for(user)))
    rule = chairs_only_rows(queryset.model)
    if rule:
        in_chaired = _in_programs(path, permissions.chaired_programs(user))
        queryset = queryset.filter(in_chaired if rule is True else ~rule | in_chaired)
    return queryset


class ProgramScopedAdminMixin:
    """Mix into a ModelAdmin whose model declares PROGRAM_PATH.

    Works for inlines too. Committee members may view, add and change by default; set
    `committee_can_add`, `committee_can_change` or `committee_can_delete` to change that, and
    `committee_edits = "chair"` to leave adding and changing to the program's chairs.
    """

    committee_can_add = True
    committee_can_change = True
    committee_can_delete = False
    committee_edits = "member"

    # --- what is visible ---------------------------------------------------------------------

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        # Missing and forbidden answer the same: 404, before any permission check can hint
        # that the object exists.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_list_filter(self, request):
        """Relational filters offer only objects that appear in the (scoped) list."""
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str):
                field = get_fields_from_path(self.model, entry)[-1]
                if field.is_relation:
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters

    def _limit_choices(self, request, queryset):
        if queryset is None:
            return queryset
        if program_path_of(queryset.model) is not None:
            # What a chairs-only admin adds belongs to a program the person chairs.
            chaired = self.committee_edits == "chair"
            return scope_queryset(queryset, request.user, chaired=chaired)
        if queryset.model is get_user_model() and not permissions.is_staff(request.user):
            programs = permissions.programs_for(request.user)
            return queryset.filter(committee_memberships__program__in=programs).distinct()
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._limit_choices(request, formfield.queryset)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._limit_choices(request, formfield.queryset)
        return formfield

    # --- what is allowed ---------------------------------------------------------------------

    def _on_committee(self, request) -> bool:
        # Asked once per admin on every page (the sidebar lists every model): ask the database
        # once per request.
        if not hasattr(request, "_on_committee"):
            user = request.user
            request._on_committee = permissions.is_member(user)
        return request._on_committee

    def _chairs_a_committee(self, request) -> bool:
        """Asked of every chairs-only admin on the sidebar: once per request."""
        if not hasattr(request, "_chairs_a_committee"):
            request._chairs_a_committee = permissions.is_chair(request.user)
        return request._chairs_a_committee

    def _in_scope(self, request, obj, *, chaired: bool = False) -> bool:
        """Is `obj` (this admin's object, or an inline's parent object) in the person's scope
        (with `chaired`: of a program the person chairs)?"""
        if obj is None:
            return True
        model = type(obj)
        if program_path_of(model) is None:
            return False
        rows = model._default_manager.filter(pk=obj.pk)
        return scope_queryset(rows, request.user, chaired=chaired).exists()

    def _may_edit(self, request, obj) -> bool:
        """May the committee member add or change (`obj` None: in general; else this one)?"""
        if self.committee_edits != "chair":
            return self._on_committee(request) and self._in_scope(request, obj)
        if obj is None:
            return self._chairs_a_committee(request)
        return self._in_scope(request, obj, chaired=True)

    def has_module_permission(self, request):
        return permissions.is_staff(request.user) or self._on_committee(request)

    def has_view_permission(self, request, obj=None):
        if permissions.is_staff(request.user):
            return True
        return self._on_committee(request) and self._in_scope(request, obj)

    def has_add_permission(self, request, *args):
        if permissions.is_staff(request.user):
            return True
        # An inline is asked with its parent object: adding to it is changing the parent.
        parent = args[0] if args else None
        return self.committee_can_add and self._may_edit(request, parent)

    def has_change_permission(self, request, obj=None):
        if permissions.is_staff(request.user):
            return True
        return self.committee_can_change and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        if permissions.is_staff(request.user):
            return True
        return (
            self.committee_can_delete
            and permissions.is_chair(request.user)
            and self._in_scope(request, obj)
        )
