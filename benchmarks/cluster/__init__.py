"""`make trial-cluster`: the portal on two app servers behind nginx, with one PostgreSQL, Redis and S3, under faults.

Run as `python -m benchmarks.cluster` (scripts/trial-cluster); see __main__.py for what it does.
"""
