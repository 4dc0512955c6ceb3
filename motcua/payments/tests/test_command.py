"""``motcua payment-simulator`` starts the simulator as its own process on the port asked for,
and refuses to start without the merchant's code and secret."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError, URLError

from motcua.testing.servers import free_port

ROOT = Path(__file__).resolve().parents[3]


def _run(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "payment-simulator", *args],
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_command_serves_the_payment_page_on_its_port() -> None:
    port = free_port()
    process = _run(
        {"MOTCUA_VNPAY_TMN_CODE": "MOTCUA01", "MOTCUA_VNPAY_HASH_SECRET": "s3cret"},
        "--port",
        str(port),
    )
    try:
        status = None
        for _ in range(100):
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/paymentv2/vpcpay.html?vnp_TxnRef=X&vnp_SecureHash=0"
                )
            except HTTPError as refused:
                status = refused.code
                break
            except URLError:
                time.sleep(0.2)
        assert status == 400  # up, and refusing an unsigned request
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_without_the_merchants_secret_the_command_refuses_to_start() -> None:
    process = _run({"MOTCUA_VNPAY_TMN_CODE": "", "MOTCUA_VNPAY_HASH_SECRET": ""})
    _out, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "MOTCUA_VNPAY_HASH_SECRET" in err
