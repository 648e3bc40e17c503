"""presskit: press kits, one-sheets, programme pages and festival catalogues from structured film data."""

__version__ = "0.1.0"
