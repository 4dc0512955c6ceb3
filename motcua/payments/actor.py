"""The account the gateway acts under when a verified payment reaches the engine.

The engine's workflow lets the receiving agency's desk record a fee collected (``collect_fee``)
and confirm a financial obligation met (``confirm_payment``). A payment confirmed by the
gateway's signed IPN is recorded by that desk's rule under one service account, so the event
says plainly that the gateway, not an officer, confirmed it. The account has no usable
password and cannot sign in; its desk role is granted per agency when first needed, without
the four-eyes confirmation of people's grants (docs/payments.md explains why)."""

from django.db import transaction

from motcua.accounts.models import Agency, Role, RoleAssignment, User

USERNAME = "cong-thanh-toan"


def gateway_account() -> User:
    user, created = User.objects.get_or_create(
        username=USERNAME,
        defaults={"full_name": "Cổng thanh toán trực tuyến", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def gateway_actor(agency: Agency) -> User:
    """The gateway's account, holding the desk role at ``agency``."""
    user = gateway_account()
    with transaction.atomic():
        RoleAssignment.objects.get_or_create(user=user, role=Role.DESK_OFFICER, agency=agency)
    return user
