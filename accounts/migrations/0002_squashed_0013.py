"""The accounts' links to the applications' tables, the city's and the 8 districts' bureaus (accounts.reference) and, on PostgreSQL, the audit
log's refusal of UPDATE and early DELETE (the trigger of 0006_audit_append_only).

Squashed (2026-12-05): written from the models, each table created whole with its indexes and constraints, so that
an empty database is migrated in far fewer steps; the backfills of the replaced migrations (marked elidable) do
nothing on an empty database and are left out. A database that has applied all of the replaced migrations is
taken as having applied this one; the replaced files stay until every installation has migrated past them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from accounts import reference

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


def create_bureaus(apps, schema_editor):
    reference.install(apps.get_model("accounts", "Bureau"))


def audit_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no placeholders: the % signs are PL/pgSQL's


def audit_not_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    replaces = [
        ('accounts', '0002_initial'),
        ('accounts', '0003_bureaus'),
        ('accounts', '0004_notifications'),
        ('accounts', '0005_audit_and_lockout'),
        ('accounts', '0006_audit_append_only'),
        ('accounts', '0007_applicant_without_unit'),
        ('accounts', '0008_after_filing_audit_actions'),
        ('accounts', '0009_audit_actions_registered_by_each_app'),
        ('accounts', '0010_login_failure_known_device'),
        ('accounts', '0011_must_change_password'),
        ('accounts', '0012_browser_sign_ins'),
        ('accounts', '0013_times_from_the_clock'),
    ]

    dependencies = [
        ('accounts', '0001_squashed_0001'),
        ('applications', '0001_squashed_0005'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='applications.unit', verbose_name='所属单位'),
        ),
        migrations.AddField(
            model_name='user',
            name='user_permissions',
            field=models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddField(
            model_name='browsersignin',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='browser_sign_ins', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
        migrations.AddConstraint(
            model_name='bureau',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'district')), fields=('district',), name='one_bureau_per_district'),
        ),
        migrations.AddField(
            model_name='user',
            name='bureau',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='accounts.bureau', verbose_name='所属机构'),
        ),
        migrations.AddIndex(
            model_name='loginfailure',
            index=models.Index(fields=['username', 'created_at'], name='loginfailure_user_time'),
        ),
        migrations.AddIndex(
            model_name='loginfailure',
            index=models.Index(fields=['ip', 'created_at'], name='loginfailure_ip_time'),
        ),
        migrations.AddField(
            model_name='notification',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人'),
        ),
        migrations.AddIndex(
            model_name='outgoingemail',
            index=models.Index(condition=models.Q(('state', 'pending')), fields=['next_attempt_at'], name='email_due'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action', 'created_at'], name='auditevent_action_time'),
        ),
        migrations.AddIndex(
            model_name='browsersignin',
            index=models.Index(fields=['user', 'created_at'], name='browsersignin_user_time'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'district_reviewer'), _negated=True), ('bureau__isnull', False), _connector='OR'), name='district_reviewer_has_bureau'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_superuser', False)), name='no_superuser'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notification_unread'),
        ),
        migrations.RunPython(create_bureaus, migrations.RunPython.noop),
        migrations.RunPython(audit_append_only, audit_not_append_only),
    ]
