"""The participant models move to the participants app: removed from matching's state only.

Their tables stay where they are (participants.models names them with db_table), so no row
moves; participants/migrations/0001 takes them over.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0008_add_lift_exclusion_action'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='attendance',
                    name='attendance_one_per_orientation',
                ),
                migrations.RemoveConstraint(
                    model_name='attendance',
                    name='attendance_one_per_event',
                ),
                migrations.RemoveConstraint(
                    model_name='calendarfeed',
                    name='calendar_feed_one_active_per_user',
                ),
                migrations.RemoveIndex(
                    model_name='checkin',
                    name='checkin_pairing_date_idx',
                ),
                migrations.RemoveField(
                    model_name='goal',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='goal',
                    name='pairing',
                ),
                migrations.RemoveField(
                    model_name='goalprogressnote',
                    name='goal',
                ),
                migrations.RemoveField(
                    model_name='goalprogressnote',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='problemreport',
                    name='pairing',
                ),
                migrations.RemoveField(
                    model_name='problemreport',
                    name='reported_by',
                ),
                migrations.RemoveField(
                    model_name='problemreport',
                    name='resolved_by',
                ),
                migrations.DeleteModel(
                    name='PairingProgress',
                ),
                migrations.RemoveField(
                    model_name='attendance',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='attendance',
                    name='milestone',
                ),
                migrations.RemoveField(
                    model_name='attendance',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='calendarfeed',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='checkin',
                    name='logged_by',
                ),
                migrations.RemoveField(
                    model_name='checkin',
                    name='pairing',
                ),
                migrations.DeleteModel(
                    name='Goal',
                ),
                migrations.DeleteModel(
                    name='GoalProgressNote',
                ),
                migrations.DeleteModel(
                    name='ProblemReport',
                ),
                migrations.DeleteModel(
                    name='Attendance',
                ),
                migrations.DeleteModel(
                    name='CalendarFeed',
                ),
                migrations.DeleteModel(
                    name='CheckIn',
                ),
            ],
            database_operations=[],
        ),
    ]
