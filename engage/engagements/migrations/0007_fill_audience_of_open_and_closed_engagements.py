"""Fix the audience of the engagements already open or closed, from the standing-group
memberships as they are now (the best record there is of who they reached): the bodies of
their routed groups, or every body on an agreed wider route. The APACE route stays
role-based. Engagements closed while they waited for the APCC reached nobody."""

from django.db import migrations


def fill(apps, schema_editor):
    Engagement = apps.get_model("engagements", "Engagement")
    AudienceBody = apps.get_model("engagements", "AudienceBody")
    PolicingBody = apps.get_model("directory", "PolicingBody")
    StandingGroupMembership = apps.get_model("directory", "StandingGroupMembership")
    every_body = list(PolicingBody.objects.values_list("pk", flat=True))
    reached = Engagement.objects.filter(status__in=("open", "closed")).exclude(
        status="closed", routed_at__isnull=False, opened_at__isnull=True
    )
    rows = []
    for engagement in reached.iterator():
        at = engagement.opened_at or engagement.routed_at or engagement.created_at
        if engagement.route == "groups":
            bodies = set(
                StandingGroupMembership.objects.filter(
                    group__in=engagement.routed_groups.all()
                ).values_list("body_id", flat=True)
            )
        elif (
            engagement.route == "all_bodies"
            and engagement.wider_route_requests.filter(decision="agreed").exists()
        ):
            bodies = set(every_body)
        else:
            continue
        rows += [
            AudienceBody(engagement=engagement, body_id=pk, at_opening=True, added_at=at)
            for pk in sorted(bodies)
        ]
    AudienceBody.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def empty(apps, schema_editor):
    apps.get_model("engagements", "AudienceBody").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0006_audience_fixed_at_opening_and_combined_routes"),
        ("directory", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, empty)]
