"""Secrets of a class: the join code students type, the teacher's token and each student's own token.

The code is short because people type it (6 characters from an alphabet without look-alikes: no 0/O, 1/I/L,
2/Z, 5/S, 8/B); guessing it is slowed in the store (store.GUESSES_PER_WINDOW). Tokens are 128-bit
`secrets.token_urlsafe` values; the database keeps only their SHA-256 (a leaked database gives no way in), and
a presented token is compared with hmac.compare_digest."""
from __future__ import annotations

import hashlib
import hmac
import secrets

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
TOKEN_BYTES = 16  # 128 bits
MAX_TOKEN_CHARS = 64  # a longer "token" is refused before it is hashed


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str | None) -> str | None:
    """A typed code as stored (upper case, spaces and dashes dropped), or None if it cannot be one."""
    if not isinstance(text, str):
        return None
    code = text.strip().upper().replace(" ", "").replace("-", "")[: CODE_LENGTH + 1]
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def matches(token: str | None, stored_digest: str | None) -> bool:
    """True when `token` is the one whose digest was stored; constant time in the digest."""
    if not isinstance(token, str) or not stored_digest or not 0 < len(token) <= MAX_TOKEN_CHARS:
        return False
    return hmac.compare_digest(digest(token), stored_digest)
