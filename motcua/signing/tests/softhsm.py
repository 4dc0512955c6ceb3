"""A SoftHSM2 token (Debian's ``softhsm2``, a real PKCS#11 module) loaded as a certification
authority loads a USB token: each key with its certificate under one label, and the
intermediate's certificate beside them. Tests skip with ``needs_softhsm``'s reason when the
module or the tools (``softhsm2-util``, ``pkcs11-tool`` from ``opensc``) are missing."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from motcua.signing.tests.pki import Pki

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN = "motcua"
PIN = "123456"
needs_softhsm = pytest.mark.skipif(
    not SOFTHSM.exists() or not shutil.which("softhsm2-util") or not shutil.which("pkcs11-tool"),
    reason="SoftHSM2 (Debian's softhsm2) and pkcs11-tool (opensc) are not installed",
)


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603 - fixed commands


def _write_cert(path: Path, object_id: str, label: str) -> None:
    _run(
        "pkcs11-tool", "--module", str(SOFTHSM), "--token-label", TOKEN, "--login",
        "--pin", PIN, "--write-object", str(path), "--type", "cert",
        "--id", object_id, "--label", label,
    )  # fmt: skip


# SoftHSM2 reads its configuration (where its tokens live) when the module is initialised, which
# python-pkcs11 does once per process: a second test's token in another directory stays invisible
# until the module is initialised again (``lib.reinitialize``) with the new configuration.


def make_token(pki: Pki, directory: Path, keys: dict[str, str]) -> Path:
    """Initialise token ``motcua`` (user PIN 123456) in ``directory`` holding, for each
    ``label: certificate`` of ``keys``, that certificate's key and certificate under ``label``,
    and the intermediate's certificate; the SoftHSM2 configuration file to point
    ``SOFTHSM2_CONF`` at. The module is (re)initialised with the new configuration, so the new
    token is the one seen even when an earlier test of this process made another."""
    tokens = directory / "tokens"
    tokens.mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        _run("softhsm2-util", "--init-token", "--free", "--label", TOKEN,
             "--pin", PIN, "--so-pin", "12345678")  # fmt: skip
        for n, (label, cert_label) in enumerate(keys.items(), start=1):
            object_id = f"{n:02x}"
            key = directory / f"{label}.key.pem"
            key.write_bytes(pki.key_pem(cert_label))
            _run("softhsm2-util", "--import", str(key), "--token", TOKEN, "--label", label,
                 "--id", object_id, "--pin", PIN)  # fmt: skip
            cert = directory / f"{label}.der"
            cert.write_bytes(pki.cert(cert_label).dump())
            _write_cert(cert, object_id, label)
        chain = directory / "interm.der"
        chain.write_bytes(pki.cert("interm").dump())
        _write_cert(chain, "ff", "interm")
        # Loaded now with this configuration, or initialised again with it if an earlier test
        # (or an earlier token) loaded the module in this process.
        import pkcs11

        pkcs11.lib(str(SOFTHSM)).reinitialize()
    finally:
        if old is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = old
    return conf
