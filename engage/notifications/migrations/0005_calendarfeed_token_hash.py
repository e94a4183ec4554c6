"""Keep only the SHA-256 hash of a calendar feed's secret, never the secret itself.

A stored token cannot be turned into its hash here without keeping the secret it replaces
readable until now, and no one could be shown the link again anyway: the existing feeds are
deleted (the feature has not been released). Their history rows, which never held the
token, stay. People turn their feed on again and get a new link."""

from django.db import migrations, models


def delete_feeds(apps, schema_editor):
    apps.get_model("notifications", "CalendarFeed").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_digest_claims_and_dropped"),
    ]

    operations = [
        migrations.RunPython(delete_feeds, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(default="", editable=False, max_length=64, unique=True),
            preserve_default=False,
        ),
    ]
