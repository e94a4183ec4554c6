"""What the policy register tells the apps built on it.

`policies` sits below `engagements` and imports nothing of it (docs/architecture.md). Where a
write here must be followed by one there, the policy service sends a signal and the app above
connects to it in its `AppConfig.ready`. Receivers run at once, inside the sender's
transaction: if one fails, the policy's write rolls back with it.
"""

from django.dispatch import Signal

# Sent by `policy_screen`, inside its transaction, when the screen puts the policy outside
# the protocol. Arguments: `policy` (as stored after the screen), `by` (who screened it) and
# `at` (when, the policy's `screened_at`).
policy_screened_out = Signal()
