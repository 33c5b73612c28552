"""`kpo worker`: runs the jobs waiting in the database, retries failures, schedules periodic jobs and
writes a heartbeat (see runner.py, retries.py, periodic.py, heartbeat.py)."""
