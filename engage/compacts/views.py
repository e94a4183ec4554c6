"""Pages of the compacts app (built in issue 10)."""
