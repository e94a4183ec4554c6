"""Pages of this app (being built: issue 9)."""
