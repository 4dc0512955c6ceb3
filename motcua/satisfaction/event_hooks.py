"""What a rating event sets off in the layers above: an explicit, typed registry.

``services.rate`` and ``edit_rating`` call ``announce`` with the ``RatingEvent`` they append,
inside its transaction (the dossier locked), so whatever a handler writes commits or rolls back
with it. The national portal's outbox (``motcua.integration``, issue 19) registers here from its
``AppConfig.ready``; this app never imports it (the layers of pyproject.toml).
"""

from collections.abc import Callable

from motcua.satisfaction.models import RatingEvent

# A handler writes in the caller's transaction; what it returns is ignored.
RatingHandler = Callable[[RatingEvent], object]

_handlers: list[RatingHandler] = []


def register(handler: RatingHandler) -> None:
    """Call ``handler`` with every rating event from now on (once, however often registered)."""
    if handler not in _handlers:
        _handlers.append(handler)


def registered() -> tuple[RatingHandler, ...]:
    return tuple(_handlers)


def announce(event: RatingEvent) -> None:
    """Run every registered handler in the caller's transaction, in the order registered."""
    for handler in _handlers:
        handler(event)
