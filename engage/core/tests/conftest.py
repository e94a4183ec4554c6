def pytest_configure(config):
    # Tests that start real worker processes; `-m "not subprocess"` leaves them out.
    config.addinivalue_line("markers", "subprocess: starts real worker processes (seconds)")
