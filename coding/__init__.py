"""evcode: code news passages into CAMEO/ACLED event records, validate event data, query it in DuckDB."""

__version__ = "0.1.0"


def compiled() -> bool:
    """True when the coder runs as mypyc-compiled extensions (a wheel build), not from source."""
    from coding import coder

    return not (coder.__file__ or "").endswith(".py")
