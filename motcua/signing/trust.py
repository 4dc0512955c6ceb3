"""What a signature is checked against: the trusted roots (the national root certification
authority's and the licensed CAs' certificates, as PEM files an administrator installs), any
intermediate certificates, and whether revocation lists may be fetched from the addresses in
the certificates."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko_certvalidator import ValidationContext


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in ``data``, PEM (one or more blocks) or one DER."""
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


@dataclass(frozen=True)
class Trust:
    """Trusted roots, other known certificates, and revocation policy. ``fetch`` lets the
    validator download CRLs and OCSP answers named in the certificates (a real CA's, or the
    test PKI's on localhost); without it a certificate whose revocation cannot be checked is
    not accepted for signing (``hard-fail``)."""

    roots: tuple[x509.Certificate, ...]
    others: tuple[x509.Certificate, ...] = ()
    fetch: bool = True
    timeout: float = 10.0

    @classmethod
    def from_files(cls, paths: Iterable[str | Path], *, fetch: bool = True) -> "Trust":
        roots: list[x509.Certificate] = []
        for path in paths:
            roots += load_certificates(Path(path).read_bytes())
        return cls(tuple(roots), fetch=fetch)

    def context(
        self, *, at: dt.datetime | None = None, others: Iterable[x509.Certificate] = ()
    ) -> ValidationContext:
        """A validation context at ``at`` (now by default): revocation required (a certificate
        that cannot be checked is refused)."""
        from pyhanko_certvalidator.fetchers.api import FetchLimits
        from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

        # Documents come from anyone: never chase the issuer addresses (AIA) a certificate names
        # — the chain must be in the signature or among the known certificates — and fetch only
        # a few revocation answers, which are asked of the authorities on a path to a trusted
        # root (so no uploaded file makes this server call an address of its choosing).
        limits = FetchLimits(max_requests=20, max_cert_requests=0, max_aia_urls_per_object=0)
        return ValidationContext(
            trust_roots=list(self.roots),
            other_certs=[*self.others, *others],
            moment=at,
            allow_fetching=self.fetch,
            revocation_mode="hard-fail",
            fetcher_backend=RequestsFetcherBackend(self.timeout, limits=limits),
        )


def configured() -> Trust:
    """The province's trust, from the settings: ``MOTCUA_SIGNING_TRUST_ROOTS`` (PEM files) and
    ``MOTCUA_SIGNING_FETCH_REVOCATION``."""
    from django.conf import settings

    return Trust.from_files(
        getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS", []),
        fetch=getattr(settings, "MOTCUA_SIGNING_FETCH_REVOCATION", True),
    )
