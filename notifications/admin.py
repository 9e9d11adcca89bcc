from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from .models import Notification, PlanningFailure
from .planning import preview_planners
from .services import (
    email_html,
    has_html_part,
    mask_private_links,
    notification_cancel,
    notification_retry,
)

PREVIEW_FRAME = '<iframe class="email-frame" title="{}" sandbox src="{}"></iframe>'

# The HTML version of an email, served alone into the preview frame: the email's own inline
# styles apply there and nowhere else; no script, no form, no other page may frame it.
EMAIL_HTML_POLICY = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.SELF],
    "sandbox": True,
}


def rendered_preview(notification: Notification, *, html_url: str | None = None) -> str:
    """The message as the recipient sees it: the plain text, and the HTML (served at
    `html_url`, see NotificationAdmin.html_view) in a sandboxed frame.

    The text is escaped; the frame's sandbox and the HTML's own Content-Security-Policy allow
    no scripts, forms or navigation. Personal links are masked in both.
    """
    text = format_html(
        '<pre class="email-text">{}</pre>', mask_private_links(notification.body_text)
    )
    if not has_html_part(notification) or html_url is None:
        return text
    frame = format_html(PREVIEW_FRAME, _("HTML version of “%s”") % notification.subject, html_url)
    return format_html("{}{}", text, frame)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: a message is created by the change that causes it, never by hand.

    Scoped to the person's programs (through the message's cohort) by the admin site, which
    adds ProgramScopedAdminMixin to every model with a PROGRAM_PATH: notifications imports no
    other app.
    """

    change_list_template = "admin/notifications/notification/change_list.html"
    committee_can_add = False
    committee_can_change = False
    list_display = [
        "subject",
        "recipient",
        "kind",
        "status",
        "cohort",
        "scheduled_at",
        "attempts",
        "sent_at",
        "why_not_sent",
    ]
    list_filter = ["kind", "status", "cohort"]
    list_select_related = ["cohort__program"]
    search_fields = ["recipient"]
    date_hierarchy = "scheduled_at"
    actions = ["retry_failed", "cancel_unsent"]
    fieldsets = [
        (None, {"fields": ["subject", "recipient", "user", "kind", "cohort", "key"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "status",
                    "scheduled_at",
                    "attempts",
                    "last_error",
                    "withdrawn_reason",
                    "sent_at",
                    "lease_expires_at",
                    "message_id",
                    "about",
                ]
            },
        ),
        (_("Message"), {"fields": ["preview"]}),
    ]
    readonly_fields = [
        "subject",
        "recipient",
        "user",
        "kind",
        "cohort",
        "key",
        "status",
        "scheduled_at",
        "attempts",
        "last_error",
        "withdrawn_reason",
        "sent_at",
        "lease_expires_at",
        "message_id",
        "about",
        "preview",
    ]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a row would free its key, and the message could be created and sent again.
        return False

    def has_retry_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("why not sent"))
    def why_not_sent(self, obj):
        if obj.status == Notification.Status.FAILED:
            return obj.last_error[:200]
        return obj.withdrawn_reason

    @admin.display(description=_("Message-ID"))
    def message_id(self, obj):
        return obj.message_id

    @admin.display(description=_("Rendered message"))
    def preview(self, obj):
        url = reverse("admin:notifications_notification_html", args=[obj.pk])
        return rendered_preview(obj, html_url=url)

    @admin.action(description=_("Retry the selected failed notifications"), permissions=["retry"])
    def retry_failed(self, request, queryset):
        count = notification_retry(notifications=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed notification will be sent again.",
                "%(count)d failed notifications will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description=_("Cancel the selected unsent notifications"), permissions=["retry"])
    def cancel_unsent(self, request, queryset):
        count = notification_cancel(notifications=queryset)
        self.message_user(
            request,
            ngettext("%(count)d notification canceled.", "%(count)d notifications canceled.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    # --- the planners' dry run (staff only) -------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("planned/", wrap(self.planned_view), name="notifications_notification_planned"),
            path(
                "<int:notification_id>/retry/",
                wrap(self.retry_view),
                name="notifications_notification_retry",
            ),
            path(
                "<path:object_id>/html/",
                wrap(self.html_view),
                name="notifications_notification_html",
            ),
            *super().get_urls(),
        ]

    def retry_view(self, request, notification_id):
        """The daily digest's retry link: the failed message, and one button to send it again.

        Scoped like the change page (another program's message answers 404); a GET changes
        nothing.
        """
        notification = get_object_or_404(self.get_queryset(request), pk=notification_id)
        if request.method == "POST":
            self.retry_failed(request, self.get_queryset(request).filter(pk=notification.pk))
            return redirect("admin:notifications_notification_change", notification.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Send this email again?"),
            "notification": notification,
            "preview": rendered_preview(notification),
        }
        return TemplateResponse(request, "admin/notifications/notification/retry.html", context)

    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_override(EMAIL_HTML_POLICY))
    def html_view(self, request, object_id):
        """The HTML version of one message, for the preview frame (the same 404 as its page)."""
        notification = self.get_object(request, unquote(object_id))
        if notification is None or not self.has_view_permission(request, notification):
            raise Http404
        return HttpResponse(mask_private_links(email_html(notification)))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_preview_planned": request.user.sees_all_programs,
            "planned_url": reverse("admin:notifications_notification_planned"),
        }
        return super().changelist_view(request, extra_context)

    def planned_view(self, request):
        """Every message the registered planners would create now; creates and sends nothing."""
        if not request.user.sees_all_programs:
            raise PermissionDenied
        previews = preview_planners()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Messages the planners would send now"),
            "previews": [
                {
                    "planner": preview.planner,
                    "error": preview.error,
                    "existing_count": preview.existing_count,
                    "messages": [
                        {
                            "notification": m.notification,
                            "preview": rendered_preview(m.notification),
                        }
                        for m in preview.new_messages
                    ],
                }
                for preview in previews
            ],
            "total": sum(len(preview.new_messages) for preview in previews),
        }
        return TemplateResponse(request, "admin/notifications/notification/planned.html", context)


@admin.register(PlanningFailure)
class PlanningFailureAdmin(admin.ModelAdmin):
    """Rows a planner could not plan: read-only; each clears itself once its message exists."""

    committee_can_add = False
    committee_can_change = False
    list_display = ["key", "planner", "cohort", "attempts", "last_failed_at", "short_error"]
    list_filter = ["planner", "cohort"]
    list_select_related = ["cohort__program"]
    search_fields = ["key"]
    readonly_fields = [
        "planner",
        "key",
        "cohort",
        "error",
        "attempts",
        "first_failed_at",
        "last_failed_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return obj.error[:120]
