"""``motcua api-token create|list|revoke``: the operator's application tokens (docs/api.md).

``create --user NAME --name TEXT [--scope read] [--scope write] [--days N]`` makes an
application token acting as the account NAME (a service account of the integration, usually)
and prints it once; ``list [--user NAME]`` shows every token without its secret; ``revoke
PREFIX`` revokes one (any token: the operator may). Each is an event in the audit trail, with
no actor (the operator)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.accounts import tokens
from motcua.accounts.models import ApiToken, ApiTokenKind, ApiTokenScope, User
from motcua.errors import REFUSALS, refusal_errors


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (application tokens for integrations)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="make an application token and print it once")
        create.add_argument("--user", required=True, help="the account the token acts as")
        create.add_argument("--name", required=True, help="what uses the token")
        create.add_argument(
            "--scope",
            action="append",
            choices=[str(s) for s in ApiTokenScope],
            help="read (GET), write (POST…); repeat for both (default: read)",
        )
        create.add_argument("--days", type=int, default=None, help="days until it expires")
        listing = sub.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("--user", default=None, help="only this account's")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix", help="the 10 hex digits after mct_")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        try:
            if verb == "create":
                self._create(options)
            elif verb == "list":
                self._list(options["user"])
            else:
                self._revoke(options["prefix"])
        except REFUSALS as exc:
            messages = "; ".join(f"{p['code']}: {p['message']}" for p in refusal_errors(exc))
            raise CommandError(messages) from None

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản / no such account: {username}")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        now = timezone.now()
        days = options["days"]
        expires_at = now + dt.timedelta(days=days) if days is not None else None
        made = tokens.create_token(
            user=self._user(options["user"]),
            actor=None,
            kind=ApiTokenKind.APPLICATION,
            name=options["name"],
            scopes=options["scope"] or [ApiTokenScope.READ],
            expires_at=expires_at,
            now=now,
        )
        self.stderr.write(
            f"Mã {made.token.prefix} ({made.token.scopes}), hết hạn / expires "
            f"{made.token.expires_at:%Y-%m-%d %H:%M %Z}. Chỉ hiện một lần / shown only once:"
        )
        self.stdout.write(made.secret)

    def _list(self, username: str | None) -> None:
        rows = ApiToken.objects.select_related("user").order_by("created_at", "pk")
        if username:
            rows = rows.filter(user=self._user(username))
        for token in rows:
            state = "revoked" if token.revoked_at else "active"
            if not token.revoked_at and token.expires_at <= timezone.now():
                state = "expired"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "-"
            self.stdout.write(
                f"{token.prefix}\t{token.user.username}\t{token.kind}\t{token.scopes}\t"
                f"{token.expires_at:%Y-%m-%d}\t{used}\t{state}\t{token.name}"
            )

    def _revoke(self, prefix: str) -> None:
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"Không có mã / no such token: {prefix}")
        tokens.revoke_token(token, actor=None)
        self.stdout.write(f"Đã thu hồi / revoked {prefix}")
