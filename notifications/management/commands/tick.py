from django.core.management.base import BaseCommand

from notifications.delivery import deliver_due
from notifications.planning import preview_planners, run_planners


class Command(BaseCommand):
    help = (
        "Run one beat tick by hand: every planner (reminders, survey requests), then deliver "
        "what is due (scheduled pairing announcements included). For the embedded default, "
        "where no beat runs. Safe to run at any time and more than once: every message is "
        "created and sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the messages the planners would create now; create and send nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            for preview in preview_planners():
                if preview.error:
                    self.stdout.write(f"{preview.planner}: failed ({preview.error})")
                    continue
                self.stdout.write(
                    f"{preview.planner}: {len(preview.new_messages)} would be created, "
                    f"{preview.existing_count} already exist"
                )
                for planned in preview.new_messages:
                    n = planned.notification
                    self.stdout.write(f"  {n.key} → {n.recipient}: {n.subject}")
            return
        for planner, count in run_planners().items():
            label = "failed" if count < 0 else f"{count} created"
            self.stdout.write(f"{planner}: {label}")
        self.stdout.write(f"delivered: {deliver_due()}")
