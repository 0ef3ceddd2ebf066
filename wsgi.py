"""Entry point for servers: ``gunicorn wsgi:app``."""

from portal import create_app

app = create_app()
