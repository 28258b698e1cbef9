"""On PostgreSQL, the audit log refuses every UPDATE, and every DELETE of an event younger than
180 days (网络安全法 §21), whoever connects: only accounts.audit.prune() deletes, and only what is
older. SQLite (development and tests) relies on the model's own refusal (accounts.models)."""

from django.db import migrations

CREATE = """
CREATE FUNCTION accounts_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.created_at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'accounts_auditevent is append-only: % of event % refused', TG_OP, OLD.id
        USING HINT = 'Audit events are never changed; they may be deleted only when older than 180 days.';
END;
$$;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only();
"""

DROP = """
DROP TRIGGER accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION accounts_auditevent_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: the % signs are PL/pgSQL's

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_audit_and_lockout")]
    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
