"""evcode: code news passages into CAMEO/ACLED event records, validate event data, query it in DuckDB."""

__version__ = "0.1.0"
