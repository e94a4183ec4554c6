"""Pages of the briefs app (built in issue 10)."""
