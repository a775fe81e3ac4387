"""The web page and the HTTP API over the record: ``comity serve``, or ``create_app()`` for any ASGI server."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
