"""The first test every `visible_to` makes: default deny for anyone not signed in."""


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
