"""Demo content (development only): a collective view drafted on an engagement from its
submitted responses, written as the APCC secretariat would."""

from engage.accounts.models import User
from engage.engagements.models import Engagement

from . import services
from .models import CollectiveView

POINT = "Bodies agree on the aim; they differ on timing."


def collective_view_demo(engagement: Engagement, by: User) -> CollectiveView:
    """Draft the engagement's collective view as `by` (a secretariat member) and write its
    summary, position and points; needs at least one submitted response."""
    view = services.collective_view_start(engagement=engagement, by=by)
    return services.collective_view_save(
        view=view,
        by=by,
        revision=view.revision,
        summary=(
            "Most bodies that responded support the proposal, with changes to how it is "
            "funded locally."
        ),
        position="support_with_changes",
        position_text="The APCC supports the proposal if local funding is settled for three years.",
        points={p["number"]: POINT for p in view.points},
        variations={v["body_id"]: v["text"] for v in view.variations},
    )
