"""Where a signing key lives: a PKCS#11 token (the USB tokens certification authorities issue to
officials; SoftHSM2 in tests) or a PKCS#12 file (tests and small deployments). Keys never enter
the database; the token's PIN (or the file's passphrase) is given at signing and kept only for
the session."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError

from motcua.errors import invalid


def pkcs12_signer(data: bytes, passphrase: str) -> signers.SimpleSigner:
    """The key and certificate in a PKCS#12 file; a wrong passphrase or a damaged file is
    refused (``signing_key_unreadable``)."""
    try:
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12_data(
            data, (), passphrase.encode() or None
        )
    except (ValueError, TypeError, SigningError) as exc:
        signer = None
        cause: Exception | None = exc
    else:
        cause = None
    if signer is None or signer.signing_cert is None:
        raise invalid(
            "signing_key_unreadable",
            _("The key file cannot be opened: check the file and its passphrase."),
        ) from cause
    return signer


@contextmanager
def token_signer(
    module: str, token_label: str, pin: str, *, key_label: str
) -> Iterator[signers.Signer]:
    """A signer on the PKCS#11 token ``token_label`` (the module: the token vendor's library,
    e.g. ``/usr/lib/softhsm/libsofthsm2.so``), its key and certificate found by ``key_label``;
    the session is opened with ``pin`` and closed after the block. A wrong PIN, a missing token
    or key is refused (``signing_token_refused``)."""
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=token_label), user_pin=pin
        )
    except (pkcs11.PKCS11Error, SigningError, OSError, RuntimeError) as exc:
        raise invalid(
            "signing_token_refused",
            _("The token refused the session: check that it is plugged in and the PIN."),
        ) from exc
    try:
        # Every certificate on the token: the CA puts the chain next to the key.
        signer = PKCS11Signer(
            session, cert_label=key_label, key_label=key_label, other_certs_to_pull=None
        )
        try:
            signer.signing_cert  # noqa: B018 - loads the key and certificate now
        except (pkcs11.PKCS11Error, SigningError) as exc:
            raise invalid(
                "signing_token_refused",
                _("The token has no key and certificate under that name."),
            ) from exc
        yield signer
    finally:
        session.close()
