from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_retention_floor"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="keyed",
            field=models.BooleanField(
                default=False,
                help_text="The hash is an HMAC with the audit key (entries written before the key existed are not).",
                verbose_name="keyed",
            ),
        ),
        migrations.AddField(
            model_name="audithead",
            name="sealed_seq",
            field=models.PositiveBigIntegerField(
                default=0,
                help_text="Every entry from here on is keyed with the audit key (0: no keyed entry yet).",
                verbose_name="first keyed sequence",
            ),
        ),
    ]
