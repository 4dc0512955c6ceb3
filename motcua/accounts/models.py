"""Administrative units, agencies, users and the roles users hold in agencies."""

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.validators import validate_agency_code, validate_id_number
from motcua.events import AppendOnlyEvent


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")


class AdministrativeUnit(models.Model):
    """A province, district or commune with its official code, valid over a span of dates.

    Both structures live side by side: the three tiers of the seed era (63 provinces, districts,
    communes) and the two tiers in force since 1 July 2025 (Resolution 202/2025/QH15: 34 provinces,
    3,321 communes, no district level). A unit that was merged or abolished is closed with
    ``valid_to`` and points to its ``successor``; nothing is rewritten, so a dossier received in a
    unit that no longer exists still names it. Codes come from the national list (Decision
    124/2004/QĐ-TTg and its amendments; Decision 19/2025/QĐ-TTg for the two-tier structure) and
    may be reused by a later unit, so a code is unique per level only among units valid from the
    same date.
    """

    code = models.CharField(_("code"), max_length=10)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(_("full name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    full_name_en = models.CharField(_("full name (English)"), max_length=150, blank=True)
    code_name = models.CharField(_("code name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    source = models.CharField(_("data source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_unique_without_start",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="unit_code_unique_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="unit_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["parent", "level"], name="unit_parent_level")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("ministry or central agency")
    PROVINCIAL_PEOPLES_COMMITTEE = "provincial_pc", _("provincial People's Committee")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("provincial department")
    PUBLIC_ADMINISTRATION_SERVICE_CENTRE = "pasc", _("Public Administration Service Centre")
    DISTRICT_PEOPLES_COMMITTEE = "district_pc", _("district People's Committee")
    DISTRICT_OFFICE = "district_office", _("district specialised office")
    DISTRICT_ONE_STOP = "district_one_stop", _("district one-stop section")
    COMMUNE_PEOPLES_COMMITTEE = "commune_pc", _("commune People's Committee")
    COMMUNE_CENTRE = "commune_centre", _("commune Public Administration Service Centre")
    BRANCH = "branch", _("branch or public service unit")
    OTHER = "other", _("other")


class Agency(models.Model):
    """A state agency (cơ quan) that receives or handles dossiers.

    Identified by its electronic ID code (Decision 20/2020/QĐ-TTg), which is also the prefix of the
    dossier codes it issues (Circular 03/2025/TT-VPCP). Agencies are renamed, merged and split
    (ministries and departments merged in 2025, district People's Committees ended on 1 July 2025):
    a closed agency keeps its row with ``valid_to`` and points to its ``successor``.
    """

    code = models.CharField(
        _("electronic ID code"), max_length=35, unique=True, validators=[validate_agency_code]
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    calendar = models.ForeignKey(
        "workdays.Calendar",
        verbose_name=_("working calendar"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="agency_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class AccountKind(models.TextChoices):
    """Who a citizens' portal account belongs to; officials' accounts have none."""

    INDIVIDUAL = "individual", _("individual")
    ORGANISATION = "organisation", _("organisation")


class User(AbstractUser):
    """A person who signs in: a citizen or an official. Roles come from ``RoleAssignment``.

    An account registered on the portal (``accounts.registration``) has a ``kind``: an
    individual (``full_name``, ``id_number`` the 12-digit personal ID) or an organisation
    (``full_name`` its name, ``id_number`` its 10/13-digit tax code, ``representative``). Its
    username is that number, and it is inactive until a contact is verified."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    id_number = models.CharField(
        _("personal ID number"),
        max_length=14,
        blank=True,
        validators=[validate_id_number],
        help_text=_("12-digit citizen ID (CCCD) for citizens; optional for officials."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    kind = models.CharField(
        _("account kind"), max_length=16, choices=AccountKind.choices, blank=True
    )
    representative = models.CharField(_("legal representative"), max_length=150, blank=True)
    # A portal account's choice of channels for notices about its dossiers (issue 13 item 6).
    notify_by_email = models.BooleanField(_("notify by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("notify by SMS"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    """Roles a user can hold. All but citizen and system administrator are held in an agency;
    a reform officer without an agency reads across all agencies."""

    CITIZEN = "citizen", _("citizen")
    DESK_OFFICER = "desk_officer", _("desk officer (reception and return)")
    SPECIALIST = "specialist", _("specialist")
    HEAD_OF_DEPARTMENT = "head_of_department", _("head of department")
    SIGNING_LEADER = "signing_leader", _("signing leader")
    AGENCY_ADMIN = "agency_admin", _("agency administrator")
    REFORM_OFFICER = "reform_officer", _("reform officer")
    SYSTEM_ADMIN = "system_admin", _("system administrator")


# Roles that need an agency, and roles that must not have one.
AGENCY_ROLES = frozenset(
    {
        Role.DESK_OFFICER,
        Role.SPECIALIST,
        Role.HEAD_OF_DEPARTMENT,
        Role.SIGNING_LEADER,
        Role.AGENCY_ADMIN,
    }
)
GLOBAL_ROLES = frozenset({Role.CITIZEN, Role.SYSTEM_ADMIN})


class RoleAssignment(models.Model):
    """A role a user holds, in one agency (or system-wide for citizens, system administrators and
    reform officers without an agency). A user may hold roles in several agencies."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "agency", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="role_once_per_agency"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="global_role_once",
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in AGENCY_ROLES), agency__isnull=False)
                | Q(role__in=sorted(r.value for r in GLOBAL_ROLES), agency__isnull=True)
                | Q(role=Role.REFORM_OFFICER.value),
                name="role_agency_consistent",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency.code if self.agency else "*"
        return f"{self.user} – {self.get_role_display()} @ {where}"


class GrantRequestStatus(models.TextChoices):
    PENDING = "pending", _("awaiting confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class RoleGrantRequest(models.Model):
    """A grant of a role that takes effect only once a second person confirms it.

    Head of department and signing leader carry the power to approve and sign results, so an
    agency administrator only requests them; a system administrator or the agency's signing
    leader, neither the requester nor the grantee, confirms (the role is then granted) or
    rejects with a reason. A request is decided once; ``OrganisationEvent`` keeps the trail."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_requests"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="role_requests"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=GrantRequestStatus.choices,
        default=GrantRequestStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("role grant request")
        verbose_name_plural = _("role grant requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(status="pending"),
                name="one_pending_grant_per_role",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="grant_request_agency_status")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} @ {self.agency.code} ({self.status})"


class OrganisationAction(models.TextChoices):
    UNITS_LOADED = "units_loaded", _("administrative units loaded")
    UNIT_CLOSED = "unit_closed", _("administrative unit closed")
    AGENCY_CREATED = "agency_created", _("agency created")
    AGENCY_CLOSED = "agency_closed", _("agency closed")
    AGENCY_CHANGED = "agency_changed", _("agency details changed")
    ROLE_GRANTED = "role_granted", _("role granted")
    ROLE_REVOKED = "role_revoked", _("role revoked")
    ROLE_GRANT_REQUESTED = "role_grant_requested", _("role grant requested")
    ROLE_GRANT_REJECTED = "role_grant_rejected", _("role grant rejected")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("two-factor authentication turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("two-factor authentication turned off")
    RECOVERY_CODE_USED = "recovery_code_used", _("recovery code used")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    SIGN_IN_UNLOCKED = "sign_in_unlocked", _("sign-in lock lifted")
    CITIZEN_REGISTERED = "citizen_registered", _("citizen account registered")
    VERIFICATION_SENT = "verification_sent", _("verification code sent")
    CONTACT_VERIFIED = "contact_verified", _("contact verified")
    VERIFICATION_FAILED = "verification_failed", _("wrong verification code")
    NOTICE_CHANNELS_CHOSEN = "notice_channels_chosen", _("channels for notices chosen")
    PASSWORD_RESET = "password_reset", _("password reset by e-mail")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    API_TOKEN_REFUSED = "api_token_refused", _("API token refused")


class OrganisationEvent(AppendOnlyEvent):
    """Append-only audit trail of changes to units, agencies and roles. Never edited."""

    action = models.CharField(_("action"), max_length=32, choices=OrganisationAction.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.ForeignKey(
        User,
        verbose_name=_("user concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")


class ContactVerification(models.Model):
    """A one-time code sent to an account's e-mail address or phone to prove it is theirs.

    Only a hash of the code is kept. A code is used once (``used_at``), dies at ``expires_at``,
    and after ``MAX_ATTEMPTS`` wrong tries; a new code for the same contact replaces the
    earlier ones (``superseded``)."""

    MAX_ATTEMPTS = 5

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="verifications"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=ContactChannel.choices)
    target = models.CharField(_("sent to"), max_length=254)
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    superseded = models.BooleanField(_("superseded"), default=False)

    class Meta:
        verbose_name = _("contact verification")
        verbose_name_plural = _("contact verifications")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "created_at"], name="verification_user_created")]

    def __str__(self) -> str:
        return f"{self.user} – {self.channel} {self.target}"


class ApiTokenKind(models.TextChoices):
    PERSONAL = "personal", _("personal")
    APPLICATION = "application", _("application")


class ApiTokenScope(models.TextChoices):
    """What a token may do: ``read`` the safe methods (GET, HEAD, OPTIONS), ``write`` every
    other (POST, PUT, PATCH, DELETE). Neither implies the other."""

    READ = "read", _("read")
    WRITE = "write", _("write")


class ApiToken(models.Model):
    """A secret an API client sends as ``Authorization: Bearer <token>`` to act as ``user``.

    A personal token is an officer's own, made on the workspace's token page; an application
    token is made by the operator (``motcua api-token``) for an integration acting as a
    service account. The secret is shown once, when the token is made: only its keyed hash
    (HMAC-SHA256, ``accounts/tokens.py``) is kept, found again by its ``prefix``. A token
    expires at ``expires_at``, is revoked by setting ``revoked_at`` (never deleted, so the
    audit trail keeps naming it) and notes its last use (to the minute)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ApiTokenKind.choices)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    # Space-separated ``ApiTokenScope`` values, as OAuth writes scopes.
    scopes = models.CharField(_("scopes"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"], name="api_token_user_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def scope_display(self) -> str:
        """The scopes in words of the current language (``đọc, ghi``)."""
        return ", ".join(str(ApiTokenScope(s).label) for s in sorted(self.scope_set))
