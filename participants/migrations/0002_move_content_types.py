"""Content types (and with them permissions and admin history) follow the moved models.

On a database created before the move, the content types of the participant models are labeled
"matching"; relabel them "participants" so every permission granted and every admin log entry
stays attached. On a new database there is nothing to relabel yet.
"""

from django.db import migrations

MODELS = [
    "attendance",
    "calendarfeed",
    "checkin",
    "goal",
    "goalprogressnote",
    "pairingprogress",
    "problemreport",
]


def relabel(apps, schema_editor, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        moved = ContentType.objects.using(db).filter(app_label=old, model=model)
        if not moved.exists():
            continue
        # A post_migrate run may already have made an empty new one; the old one carries the
        # grants and the history, so it wins.
        ContentType.objects.using(db).filter(app_label=new, model=model).delete()
        moved.update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, old="matching", new="participants")


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, old="participants", new="matching")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
