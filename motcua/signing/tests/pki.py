"""A test PKI built by certomancer (from pyHanko's author) and served on localhost: a root, an
intermediate, a signing certificate, a revoked one (on the intermediate's CRL), an expired one,
one without the signing key usage, and a time-stamping authority. The keys are generated here
(RSA 2048, in a temporary directory); certomancer issues the certificates and its WSGI
"Animator" serves the CRLs and the time stamps over HTTP from a thread, so validation fetches
them as it would from a real certification authority."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import yaml
from asn1crypto import x509
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ARCH = "motcua-test"
PASSPHRASE = b"mat-khau-thu"
KEYS = ("root", "interm", "signer", "revoked", "expired", "nosign", "tsa")
LONG = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2040-01-01T00:00:00+0000"}


def _config(prefix: str) -> dict[str, Any]:
    signing = [
        {
            "id": "key_usage",
            "critical": True,
            "smart-value": {
                "schema": "key-usage",
                "params": ["digital_signature", "non_repudiation"],
            },
        }
    ]
    return {
        "external-url-prefix": prefix,
        "keysets": {
            "motcua": {
                "path-prefix": ".",
                "keys": {k: {"path": f"{k}.key.pem"} for k in KEYS},
            }
        },
        "pki-architectures": {
            ARCH: {
                "keyset": "motcua",
                "entity-defaults": {
                    "country-name": "VN",
                    "organization-name": "MotCua Test CA",
                },
                "entities": {
                    "root": {"common-name": "MotCua Test Root"},
                    "interm": {"common-name": "MotCua Test Intermediate"},
                    "signer": {"common-name": "Nguyễn Văn Lãnh Đạo"},
                    "revoked": {"common-name": "Trần Thị Thu Hồi"},
                    "expired": {"common-name": "Lê Văn Hết Hạn"},
                    "nosign": {"common-name": "Phạm Văn Không Ký"},
                    "tsa": {"common-name": "MotCua Test TSA"},
                },
                "certs": {
                    "root": {
                        "subject": "root",
                        "issuer": "root",
                        "validity": LONG,
                        "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}],
                    },
                    "interm": {
                        "issuer": "root",
                        "validity": LONG,
                        "profiles": [
                            {
                                "id": "simple-ca",
                                "params": {"max-path-len": 0, "crl-repo": "interm"},
                            }
                        ],
                    },
                    "signer": {"issuer": "interm", "validity": LONG, "extensions": signing},
                    "revoked": {
                        "issuer": "interm",
                        "validity": LONG,
                        "extensions": signing,
                        "revocation": {
                            "revoked-since": "2025-01-01T00:00:00+0000",
                            "reason": "key_compromise",
                        },
                    },
                    "expired": {
                        "issuer": "interm",
                        "validity": {
                            "valid-from": "2020-01-01T00:00:00+0000",
                            "valid-to": "2022-01-01T00:00:00+0000",
                        },
                        "extensions": signing,
                    },
                    "nosign": {
                        "issuer": "interm",
                        "validity": LONG,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {
                                    "schema": "key-usage",
                                    "params": ["key_encipherment"],
                                },
                            }
                        ],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": LONG,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {
                                    "schema": "key-usage",
                                    "params": ["digital_signature"],
                                },
                            },
                            {
                                "id": "extended_key_usage",
                                "critical": True,
                                "value": ["time_stamping"],
                            },
                        ],
                    },
                },
                "services": {
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P90D",
                        },
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P30D",
                        },
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Pki:
    """The issued PKI and where its services answer."""

    config: CertomancerConfig
    url: str
    directory: Path

    @property
    def arch(self) -> Any:
        return self.config.get_pki_arch(ArchLabel(ARCH))

    def cert(self, label: str) -> x509.Certificate:
        return self.arch.get_cert(CertLabel(label))

    def pem(self, label: str) -> bytes:
        from asn1crypto import pem

        return bytes(pem.armor("CERTIFICATE", self.cert(label).dump()))

    def pkcs12(self, label: str, passphrase: bytes = PASSPHRASE) -> bytes:
        """The key and certificate (with its chain) as a PKCS#12 file's bytes."""
        return bytes(self.arch.package_pkcs12(CertLabel(label), password=passphrase))

    def key_pem(self, label: str) -> bytes:
        return (self.directory / f"{label}.key.pem").read_bytes()

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCH}/tsa/tsa"

    def roots_file(self) -> Path:
        """A PEM file with the root, as the trust setting takes it."""
        path = self.directory / "roots.pem"
        path.write_bytes(self.pem("root"))
        return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve_test_pki(directory: Path) -> Iterator[Pki]:
    """Generate the keys in ``directory``, issue the PKI and serve its CRLs and time stamps
    on a free localhost port for the duration of the block."""
    for label in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (directory / f"{label}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    (directory / "certomancer.yml").write_text(yaml.safe_dump(_config(url)), encoding="utf-8")
    config = CertomancerConfig.from_file(str(directory / "certomancer.yml"))
    app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    server: WSGIServer = make_server("127.0.0.1", port, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Pki(config, url, directory)
    finally:
        server.shutdown()
        server.server_close()
