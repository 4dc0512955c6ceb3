"""Start the test OpenID Connect provider: ``python -m motcua.portal.tests.oidc_provider.serve
PORT REDIRECT_URI`` (with ``OIDC_PROVIDER_DB`` naming a fresh SQLite file). It creates its
tables, two people (``lan``, ``minh``) and the portal's client, then serves until stopped."""

import os
import sys

CLIENT_ID = "motcua-portal"
CLIENT_SECRET = "portal-test-secret"
PASSWORD = "provider-pass-2026"
PEOPLE = {
    "lan": ("lan@example.vn", "Lan", "Nguyễn Thị"),
    "minh": ("minh@example.vn", "Minh", "Phạm Văn"),
}


def main(port: str, redirect_uri: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.portal.tests.oidc_provider.settings"
    # oauthlib insists on https; the test runs on the loopback address.
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, (email, first, last) in PEOPLE.items():
        User.objects.create_user(
            username, email=email, password=PASSWORD, first_name=first, last_name=last
        )
    Application.objects.create(
        name="MotCua portal",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
