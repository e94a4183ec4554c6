"""Pages of the impact app (built in issue 10)."""
