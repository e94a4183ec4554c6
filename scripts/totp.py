"""Print the current six-digit authenticator code for a TOTP secret (RFC 6238, 30 s, SHA-1).

Usage: python scripts/totp.py [SECRET]; the secret defaults to $DEMO_TOTP_SECRET, then the demo
default. Standard library only, so it runs without the virtualenv or Django settings.
"""

import base64
import hashlib
import hmac
import os
import struct
import sys
import time

DEFAULT_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - public demo value, as in .env.example
PERIOD_SECONDS = 30


def totp(secret: str, at: float) -> str:
    key = base64.b32decode(secret.replace(" ", "").upper(), casefold=True)
    counter = struct.pack(">Q", int(at) // PERIOD_SECONDS)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def main() -> None:
    secret = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DEMO_TOTP_SECRET", "")
    now = time.time()
    remaining = PERIOD_SECONDS - int(now) % PERIOD_SECONDS
    print(f"{totp(secret or DEFAULT_SECRET, now)}  (valid for {remaining} more seconds)")


if __name__ == "__main__":
    main()
