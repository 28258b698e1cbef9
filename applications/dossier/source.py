"""Which 申请书 a dossier prints: the frozen version, or the live draft with its 草稿 watermark."""

from dataclasses import dataclass

from operations import clock
from operations.text import digest

from .. import permissions, snapshot
from ..models import Application, ApplicationVersion
from . import verification


@dataclass(frozen=True)
class DossierSource:
    application: Application
    content: dict
    version: ApplicationVersion | None

    @property
    def is_draft(self):
        return self.version is None

    @property
    def code(self):
        """The verification code; a draft has none."""
        return verification.code_for(self.version.sha256) if self.version else ""

    @property
    def dated(self):
        return clock.localdate(self.version.submitted_at) if self.version else None


def resolve(application, viewer=None):
    """The content to print for this viewer.

    A submitted application prints its latest frozen version. Whoever may edit it now (the lead,
    while it is a draft or returned) prints the live draft, unless it is still identical to the
    last version; everyone else keeps seeing what was submitted.
    """
    latest = application.versions.order_by("-number").first()
    editor = viewer is not None and permissions.can_edit(viewer, application.consortium)[0]
    if latest is not None and not editor:
        return DossierSource(application, latest.content, latest)
    live = snapshot.build(snapshot.load(application.pk))
    if latest is not None and digest(live) == latest.sha256:
        return DossierSource(application, latest.content, latest)
    return DossierSource(application, live, None)
