"""Backups: the whole installation (database and stored files) in one archive, and its restore.

An archive is a gzipped tar: first `kpo-backup.json` (the manifest: format, kpo version, when, the
database vendor, the applied migrations and every other member with its size and SHA-256), then the
database (`database/kpo.sqlite3`, a copy made with SQLite's online backup API, or `database/kpo.pgdump`,
pg_dump's custom format) and the stored files (`files/<path under MEDIA_ROOT>`).
"""
