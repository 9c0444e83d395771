"""The web app: search page, document view and JSON API over the live index."""
