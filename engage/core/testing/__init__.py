"""Helpers for the test suite only: nothing outside the tests imports them."""
