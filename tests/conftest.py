"""Shared fixtures: hypothesis profiles, the reference data folder, the loaded codebook."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "dev", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
# The reference data lives beside the checkout (../shared/data); EVCODE_SHARED_DATA overrides.
SHARED_DATA = Path(os.environ.get("EVCODE_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only reference data; tests using it skip where it is absent (a user's machine)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA} (set EVCODE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def codebook():
    from coding.codebook import load_codebook

    return load_codebook()
