"""The participant models, taken over from the matching app with their existing tables.

State only: the tables were created by matching's migrations 0002 to 0006 and keep their
names (db_table), so every row stays where it is.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('applications', '0003_add_committee_notes'),
        ('cohorts', '0003_merge_program_resources_and_application_rules'),
        ('matching', '0009_hand_participant_models_to_participants'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PairingProgress',
                    fields=[
                    ],
                    options={
                        'verbose_name': 'pair progress',
                        'verbose_name_plural': 'pair progress',
                        'proxy': True,
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=('matching.pairing',),
                ),
                migrations.CreateModel(
                    name='Goal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(help_text='A short name for the goal, in a few words.', max_length=200, verbose_name='goal')),
                        ('specific', models.TextField(help_text='What exactly will be accomplished, and by whom?', verbose_name='specific')),
                        ('measurable', models.TextField(help_text='How will you both know it has been reached?', verbose_name='measurable')),
                        ('achievable', models.TextField(help_text='Why is it realistic with the time and support you have?', verbose_name='achievable')),
                        ('relevant', models.TextField(help_text="How does it serve the mentee's growth and career?", verbose_name='relevant')),
                        ('time_bound', models.TextField(help_text='The steps along the way and when each is due.', verbose_name='time-bound')),
                        ('target_date', models.DateField(verbose_name='target date')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('achieved', 'Achieved'), ('revised', 'Revised or set aside')], default='not_started', max_length=20, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='set by')),
                        ('pairing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='matching.pairing', verbose_name='pairing')),
                    ],
                    options={
                        'verbose_name': 'SMART goal',
                        'verbose_name_plural': 'SMART goals',
                        'db_table': 'matching_goal',
                        'ordering': ['pairing_id', 'created_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='GoalProgressNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('note', models.TextField(verbose_name='progress')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('goal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress_notes', to='participants.goal', verbose_name='goal')),
                    ],
                    options={
                        'verbose_name': 'progress note',
                        'verbose_name_plural': 'progress notes',
                        'db_table': 'matching_goalprogressnote',
                        'ordering': ['goal_id', '-date', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ProblemReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('message', models.TextField(verbose_name='what is wrong')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='reported')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                        ('committee_notes', models.TextField(blank=True, help_text='Seen by the committee only.', verbose_name='committee notes')),
                        ('pairing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='problem_reports', to='matching.pairing', verbose_name='pairing')),
                        ('reported_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by')),
                    ],
                    options={
                        'verbose_name': 'problem report',
                        'verbose_name_plural': 'problem reports',
                        'db_table': 'matching_problemreport',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('attended', models.BooleanField(default=True, verbose_name='attended')),
                        ('recorded_at', models.DateTimeField(auto_now=True, verbose_name='recorded')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='applications.application', verbose_name='participant')),
                        ('milestone', models.ForeignKey(blank=True, help_text="Leave empty for the cohort's orientation.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='cohorts.milestone', verbose_name='event')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'db_table': 'matching_attendance',
                        'ordering': ['application_id', 'milestone_id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('milestone__isnull', True)), fields=('application',), name='attendance_one_per_orientation', violation_error_message='Orientation attendance is already recorded.'), models.UniqueConstraint(condition=models.Q(('milestone__isnull', False)), fields=('application', 'milestone'), name='attendance_one_per_event', violation_error_message='Attendance at this event is already recorded.')],
                    },
                ),
                migrations.CreateModel(
                    name='CalendarFeed',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(max_length=64, unique=True, verbose_name='token')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'calendar feed',
                        'verbose_name_plural': 'calendar feeds',
                        'db_table': 'matching_calendarfeed',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user',), name='calendar_feed_one_active_per_user')],
                    },
                ),
                migrations.CreateModel(
                    name='CheckIn',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('mode', models.CharField(choices=[('video', 'Video call'), ('phone', 'Phone'), ('in_person', 'In person'), ('email', 'Email'), ('chat', 'Chat or messaging'), ('other', 'Other')], max_length=20, verbose_name='how you met')),
                        ('notes', models.TextField(blank=True, help_text='Optional. Your partner can read these too.', verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('logged_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='logged by')),
                        ('pairing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='check_ins', to='matching.pairing', verbose_name='pairing')),
                    ],
                    options={
                        'verbose_name': 'check-in',
                        'verbose_name_plural': 'check-ins',
                        'db_table': 'matching_checkin',
                        'ordering': ['pairing_id', '-date', '-pk'],
                        'indexes': [models.Index(fields=['pairing', 'date'], name='checkin_pairing_date_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
