"""What counts as a secret-looking environment variable name (shared by the screen and the sandbox)."""

from __future__ import annotations

import re

# Matches API_KEY, OPENAI_API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASSWORD, HF_AUTH, ...
_SECRET_NAME = re.compile(
    r"(KEY|TOKEN|SECRET|PASS(WORD|WD)?|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|CERT|SIGNATURE)", re.IGNORECASE
)


def looks_secret(name: str) -> bool:
    """True for environment variable names that usually hold credentials."""
    return bool(_SECRET_NAME.search(name))
