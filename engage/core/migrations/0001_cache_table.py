"""The table of Django's database cache, which holds throttles, the TOTP replay guard and
their locks when no REDIS_URL is set (see config/settings/base.py).

Made here rather than by `createcachetable`, so `migrate` alone is enough; made whatever the
settings say today, so switching REDIS_URL off later finds the table ready.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "engage_cache"  # settings.CACHE_TABLE


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
