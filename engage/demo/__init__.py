"""Demo content for `manage.py seed_demo` (development only), made through the services as a
person would. Each part is made once and is safe to run again."""
