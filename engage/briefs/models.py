# The brief is read from the directory (plans, contacts, commissioning, routes, key dates) and
# the Compacts; it stores nothing of its own.
