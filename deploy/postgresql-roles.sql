-- The portal's two PostgreSQL roles (README.md in this folder, 2.4). Run as postgres in the portal's database,
-- after the first `migrate` and after every `restore` (it recreates the tables):
--     su - postgres -c "psql -d zhenjiang -v ON_ERROR_STOP=1 -f /srv/zhenjiang/app/deploy/postgresql-roles.sql"
--
-- zhenjiang_owner owns every table: migrations and restores run as it, nothing else does.
-- zhenjiang, the role the running portal (web, task worker, scheduler, backup) connects as, reads and writes rows
-- and nothing more: no TRUNCATE, and as it owns no table it can neither ALTER a table nor drop or disable a trigger.
-- So the running portal cannot empty the audit log (accounts_auditevent) or switch off the trigger that keeps it
-- append-only (accounts/migrations/0006_audit_append_only.py). tests/accounts/test_database_roles.py runs this file.

GRANT USAGE ON SCHEMA public TO zhenjiang;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zhenjiang;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO zhenjiang;

-- Tables and sequences that later migrations create get the same rights.
ALTER DEFAULT PRIVILEGES FOR ROLE zhenjiang_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zhenjiang;
ALTER DEFAULT PRIVILEGES FOR ROLE zhenjiang_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO zhenjiang;

-- The audit log is added to, read, and pruned past 180 days (the trigger lets only that through); never changed.
REVOKE UPDATE, TRUNCATE, TRIGGER, REFERENCES ON accounts_auditevent FROM zhenjiang;
