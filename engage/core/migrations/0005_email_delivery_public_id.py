import uuid

from django.db import migrations, models


def public_ids(apps, schema_editor):
    """Deliveries made before the field existed: each its own reference."""
    deliveries = apps.get_model("core", "EmailDelivery")
    for delivery in deliveries.objects.filter(public_id__isnull=True).only("pk").iterator():
        deliveries.objects.filter(pk=delivery.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_address_problem_and_undeliverable'),
    ]

    operations = [
        # Nullable first: a default on the new column would give every existing row the same
        # value, which the unique constraint refuses.
        migrations.AddField(
            model_name='emaildelivery',
            name='public_id',
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='emaildelivery',
            name='public_id',
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
