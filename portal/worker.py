"""The queue's worker (#16.1): ``huey_consumer portal.worker.huey`` builds the
app once, with the same settings as the web server, and runs the jobs of
portal/tasks.py. ``make run`` starts one beside the web server."""

from portal import create_app, tasks

app = create_app()
huey = tasks.huey
