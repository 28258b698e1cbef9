"""A candidate's unit is linked when the district approves the registration of its code (applications.services
approve_registration saves the unit as registered)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from applications.models import Unit

from .services import link_unit


@receiver(post_save, sender=Unit, dispatch_uid="candidates.link_unit")
def _unit_saved(sender, instance, **kwargs):
    if instance.is_registered:
        link_unit(instance)
