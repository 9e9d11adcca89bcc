"""Encrypt the two-factor secrets stored in clear before accounts.mfa.MFAAdapter (see there)."""

from django.db import migrations


def encrypt_stored_secrets(apps, schema_editor):
    from accounts.mfa import reseal_all

    Authenticator = apps.get_model("mfa", "Authenticator")
    reseal_all(Authenticator.objects.using(schema_editor.connection.alias), rekey=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_add_privilege_change"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_stored_secrets, migrations.RunPython.noop, elidable=True),
    ]
