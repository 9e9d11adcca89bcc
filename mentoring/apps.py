from django.contrib.admin.apps import AdminConfig


class MentoringAdminConfig(AdminConfig):
    """The Django admin, with a site that lets committee members in (see mentoring.admin_site).

    Also where the project's own deployment checks are registered (mentoring.checks).
    """

    default_site = "mentoring.admin_site.MentoringAdminSite"

    def ready(self):
        super().ready()
        from . import checks  # noqa: F401  (registers the checks)
