"""engage: find conversations worth joining, draft replies for approval, log colleagues met."""

__version__ = "0.1.0"
