def organisations(request):
    """The signed-in person's organisations, for the header switcher."""
    memberships = getattr(request, "memberships", None)
    if memberships is None:
        return {}
    return {
        "user_memberships": memberships,
        "current_membership": getattr(request, "membership", None),
    }
