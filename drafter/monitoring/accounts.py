"""Logins for facilitators (``drafter suivi utilisateur``)."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from django.db import transaction

from .models import Facilitator
from .services import MonitoringError

# What a facilitator may do in the admin: read the markets, record what happens during execution.
VIEW = ("market", "lot", "structure", "department", "buyer", "facilitator")
EDIT = ("award", "order", "decision", "participant", "contract", "monthlydeclaration", "outcome")


@transaction.atomic
def create_login(username: str, password: str, facilitator_name: str | None, superuser: bool = False) -> User:
    """A staff login, linked to a facilitator (who then sees only its structure's data) or a superuser."""
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = True
    user.is_superuser = superuser
    user.save()
    if superuser:
        return user
    found = list(Facilitator.objects.filter(name=facilitator_name or "")[:2])
    if len(found) != 1:
        raise MonitoringError(f"facilitateur « {facilitator_name} » {'inconnu' if not found else 'ambigu'} : "
                              "importez l'annuaire ou le marché qui le nomme.")
    Facilitator.objects.filter(user=user).exclude(pk=found[0].pk).update(user=None)
    found[0].user = user
    found[0].save(update_fields=["user"])
    codenames = [f"view_{m}" for m in VIEW + EDIT] + [f"{a}_{m}" for m in EDIT for a in ("add", "change")]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="suivi", codename__in=codenames))
    return user
