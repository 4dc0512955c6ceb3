"""What a feedback event sets off in the layers above: an explicit, typed registry.

``services`` calls ``announce`` with every ``FeedbackEvent`` it appends, inside its transaction
(the feedback locked when it changes), so whatever a handler writes commits or rolls back
with it. The national portal's outbox (``motcua.integration``, issue 19) registers here from its
``AppConfig.ready``; this app never imports it (the layers of pyproject.toml).
"""

from collections.abc import Callable

from motcua.feedback.models import FeedbackEvent

# A handler writes in the caller's transaction; what it returns is ignored.
FeedbackHandler = Callable[[FeedbackEvent], object]

_handlers: list[FeedbackHandler] = []


def register(handler: FeedbackHandler) -> None:
    """Call ``handler`` with every feedback event from now on (once, however often registered)."""
    if handler not in _handlers:
        _handlers.append(handler)


def registered() -> tuple[FeedbackHandler, ...]:
    return tuple(_handlers)


def announce(event: FeedbackEvent) -> None:
    """Run every registered handler in the caller's transaction, in the order registered."""
    for handler in _handlers:
        handler(event)
