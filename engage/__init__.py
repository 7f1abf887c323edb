"""engage: find the conversations worth joining, draft replies for approval, log the colleagues met."""

__version__ = "0.1.0"
