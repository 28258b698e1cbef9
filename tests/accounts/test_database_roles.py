"""The deployment guide's two PostgreSQL roles (deploy/postgresql-roles.sql, deploy/README.md 2.4): the runtime role
the portal connects as cannot empty the audit log or switch off its append-only trigger; the owner can (issue 19).

The roles are made inside the test's transaction (PostgreSQL rolls CREATE ROLE back with it), under names of their
own, and the guide's script is run with those names."""

import re
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts import audit
from accounts import audit_actions as accounts_actions
from accounts.models import AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="database roles, TRUNCATE and triggers are PostgreSQL's; SQLite has no roles (the test suite "
                              "runs this on PostgreSQL in CI)"),
]

NOT_OWNER = {"must be owner of table accounts_auditevent", "must be owner of relation accounts_auditevent"}
SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "postgresql-roles.sql"


@pytest.fixture
def roles():
    """(owner, runtime): the guide's two roles, the audit table owned by the first, the script's grants given."""
    suffix = uuid.uuid4().hex[:8]
    owner, runtime = f"zj_test_owner_{suffix}", f"zj_test_runtime_{suffix}"
    script = re.sub(r"\bzhenjiang_owner\b", owner, SCRIPT.read_text(encoding="utf-8"))
    script = re.sub(r"\bzhenjiang\b", runtime, script)
    statements = [s.strip() for s in re.sub(r"--[^\n]*", "", script).split(";") if s.strip()]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {owner} NOLOGIN")
        cursor.execute(f"CREATE ROLE {runtime} NOLOGIN")
        cursor.execute(f"ALTER TABLE accounts_auditevent OWNER TO {owner}")
        for statement in statements:
            cursor.execute(statement)
    yield owner, runtime
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def as_role(role, sql):
    """Run ``sql`` as ``role``; the error text if PostgreSQL refuses it, else None (undone either way)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
        try:
            with transaction.atomic():
                cursor.execute(sql)
                transaction.set_rollback(True)
        except DatabaseError as error:
            return str(error).splitlines()[0]
        finally:
            cursor.execute("RESET ROLE")
    return None


def test_the_runtime_role_cannot_truncate_the_audit_log_or_touch_its_trigger(roles):
    owner, runtime = roles
    audit.record(accounts_actions.LOGIN, username="zhang")
    assert as_role(runtime, "TRUNCATE accounts_auditevent") == "permission denied for table accounts_auditevent"
    for sql in ("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only",
                "ALTER TABLE accounts_auditevent DISABLE TRIGGER ALL",
                "DROP TRIGGER accounts_auditevent_append_only ON accounts_auditevent",
                "ALTER TABLE accounts_auditevent ADD COLUMN note text"):
        assert as_role(runtime, sql) in NOT_OWNER, sql
    assert as_role(runtime, "UPDATE accounts_auditevent SET detail = 'x'") == "permission denied for table accounts_auditevent"
    assert AuditEvent.objects.count() == 1


def test_the_runtime_role_still_writes_reads_and_prunes_the_audit_log(roles):
    owner, runtime = roles
    assert as_role(runtime, "INSERT INTO accounts_auditevent (created_at, action, username, role, success, target, detail) "
                            "VALUES (now(), 'login', 'zhang', '', true, '', '')") is None
    assert as_role(runtime, "SELECT count(*) FROM accounts_auditevent") is None
    # Pruning: the trigger lets through only rows older than 180 days; the privilege to DELETE is there.
    assert as_role(runtime, "DELETE FROM accounts_auditevent WHERE created_at < now() - interval '181 days'") is None


def test_the_owner_may_truncate_which_is_why_the_portal_never_connects_as_it(roles):
    owner, runtime = roles
    assert as_role(owner, "TRUNCATE accounts_auditevent") is None
    assert as_role(owner, "ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only") is None
