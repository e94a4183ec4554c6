"""Who may do what with a collective view; who may *see* one is
`CollectiveView.objects.visible_to` (engage/collective/access.py).

- The APCC secretariat drafts, edits, refreshes, sends for sign-off and submits
  (`collective.draft`).
- A routed standing group's sign-off is given (or the view sent back) by the commissioner of
  the body that leads the group (`collective.sign_off`): the protocol's "standing-group lead"
  is the PCC, so the body's staff read the draft but do not sign for it.

The services also check the state and say what is wrong. Check with `rules.has_perm`.
"""

import rules

from engage.accounts.viewer import Viewer


@rules.predicate
def is_secretariat(user) -> bool:
    return Viewer.of(user).is_secretariat


@rules.predicate
def leads_group(user, sign_off) -> bool:
    """`sign_off` carries `lead_body` (selectors.sign_offs_for), or it is looked up."""
    if sign_off is None:
        return False
    viewer = Viewer.of(user)
    if sign_off.group_id not in viewer.led_group_ids:
        return False
    body = getattr(sign_off, "lead_body", None)
    if body is None:
        from .selectors import lead_bodies

        body = lead_bodies([sign_off.group_id]).get(sign_off.group_id)
    return viewer.is_commissioner_of(body)


rules.add_perm("collective.draft", is_secretariat)
rules.add_perm("collective.sign_off", leads_group)
