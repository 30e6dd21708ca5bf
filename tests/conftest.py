"""Suite-wide settings."""

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so CI cannot fail on an input nobody has seen locally;
# the strategies still cover unicode, control characters, huge strings and raw bytes.
settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.load_profile("deterministic")


@pytest.fixture(scope="session")
def postgres_dsn():
    """A throwaway Postgres cluster for the session (tests/postgres.py); skips where postgresql is not installed."""
    from tests.postgres import MISSING, pg_bin, postgres_cluster

    if pg_bin() is None:
        pytest.skip(MISSING)
    with postgres_cluster() as dsn:
        yield dsn
