"""API viewsets; registered on the /api/v1/ router by ``register``."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Nothing registered yet."""
