"""MEDIA_STORAGE=s3: uploads, dossiers, downloads, health and backups work on a bucket as on a disk."""

import hashlib

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from moto import mock_aws

from accounts.roles import Role
from applications.models import DossierRender
from operations import backup
from tests import factories
from tests.applications.dossier import helpers as dossier

BUCKET = "zhenjiang-test"


@pytest.fixture
def bucket(settings):
    """An S3 bucket (moto, in this process) as the default storage, configured as settings.py does for MinIO."""
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "access_key": "test", "secret_key": "test", "region_name": "us-east-1",
            "addressing_style": "path", "signature_version": "s3v4", "default_acl": None, "file_overwrite": False,
        }}}
        yield boto3.client("s3", region_name="us-east-1")


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_a_dossier_with_attachments_is_rendered_from_and_into_the_bucket_and_streamed_to_its_owner(bucket, client, settings):
    settings.PROTECTED_FILES_SERVED_BY = "nginx"  # nginx cannot read a bucket: the portal streams it
    applicant = factories.user(Role.APPLICANT)
    draft = dossier.application(applicant=applicant)
    attachments = list(draft.consortium.attachments.all())
    assert len(attachments) == 2 and all(a.file.name in keys(bucket) for a in attachments)

    client.force_login(applicant)
    response = client.post(reverse("dossier:request", kwargs={"pk": draft.consortium_id}), {"copies": "1"})
    render = DossierRender.objects.get()
    assert (render.state, render.warnings) == ("done", [])  # the attachments were read from the bucket
    assert render.file.name in keys(bucket)
    download = client.get(response.url)
    assert download.status_code == 200 and not download.has_header("X-Accel-Redirect")
    stored = bucket.get_object(Bucket=BUCKET, Key=render.file.name)["Body"].read()
    assert b"".join(download.streaming_content) == stored and stored.startswith(b"%PDF-")

    client.force_login(factories.user(Role.APPLICANT))
    assert client.get(response.url).status_code == 404


@pytest.mark.django_db
def test_healthz_writes_to_the_bucket(bucket, client):
    response = client.get("/healthz")
    assert response.json()["checks"]["storage"] == {"ok": True, "detail": "文件存储可写"}
    assert keys(bucket) == []  # the probe's file is removed again


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_with_the_bucket(bucket, tmp_path):
    dossier.application(applicant=factories.user(Role.APPLICANT))
    before = {key: hashlib.sha256(bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()).hexdigest() for key in keys(bucket)}
    assert len(before) == 2
    call_command("backup", str(tmp_path / "b"))
    call_command("flush", interactive=False, verbosity=0)
    for key in keys(bucket):
        default_storage.delete(key)
    assert backup.stored_files() == []
    call_command("restore", str(tmp_path / "b"))
    after = {key: hashlib.sha256(bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()).hexdigest() for key in keys(bucket)}
    assert after == before
