import datetime as dt

from django.db import migrations, models

import kpo.orgs.models

EXISTING_TOKEN_DAYS = 90


def expire_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Tokens made before expiry existed expire 90 days after their creation (at once if older)."""
    ApiToken = apps.get_model("orgs", "ApiToken")
    for token in ApiToken.objects.all().only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + dt.timedelta(days=EXISTING_TOKEN_DAYS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_invitation"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=kpo.orgs.models.token_expiry, verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="read_only",
            field=models.BooleanField(default=False, verbose_name="read-only"),
        ),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
    ]
