"""Handling labels: the Traffic Light Protocol 2.0 vocabulary (DESIGN.md, "Handling labels").

Every engagement and document carries one. The default is TLP:AMBER+STRICT (protocol
principle 3: strict confidentiality); only the owning organisation may release to a wider one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Label(models.TextChoices):
    RED = "red", "TLP:RED"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    AMBER = "amber", "TLP:AMBER"
    GREEN = "green", "TLP:GREEN"
    CLEAR = "clear", "TLP:CLEAR"


DEFAULT_LABEL = Label.AMBER_STRICT

# From narrowest to widest audience.
WIDENING_ORDER = [Label.RED, Label.AMBER_STRICT, Label.AMBER, Label.GREEN, Label.CLEAR]

LABEL_MEANING = {
    Label.RED: _("Named people only. Do not share."),
    Label.AMBER_STRICT: _("Your organisation only. Do not share further unless the owner says so."),
    Label.AMBER: _("Your organisation and the local partners it must involve."),
    Label.GREEN: _("Anyone in the Engage community: national bodies, the APCC, policing bodies."),
    Label.CLEAR: _("Public. May be published."),
}


def is_wider(new: str, old: str) -> bool:
    return WIDENING_ORDER.index(Label(new)) > WIDENING_ORDER.index(Label(old))
