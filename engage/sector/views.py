"""Pages of the sector app (built in issue 10)."""
