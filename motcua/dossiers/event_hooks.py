"""What a dossier event sets off in the layers above the engine: an explicit, typed registry.

The engine calls ``announce`` with every event it appends through ``transitions.acting`` and
``intake`` (receipt, every action taken), inside the transaction that appends it, so whatever a
handler writes commits or rolls back with the event. The national portal's outbox
(``motcua.integration``, issue 19) sits above the engine and registers its handler here from its
``AppConfig.ready``; the engine never imports it. No Django signal: ``registered()`` lists what
runs, and each handler's type is checked.
"""

from collections.abc import Callable

from motcua.dossiers.models import DossierEvent

# A handler writes in the caller's transaction; what it returns is ignored.
EventHandler = Callable[[DossierEvent], object]

_handlers: list[EventHandler] = []


def register(handler: EventHandler) -> None:
    """Call ``handler`` with every dossier event from now on (once, however often registered)."""
    if handler not in _handlers:
        _handlers.append(handler)


def registered() -> tuple[EventHandler, ...]:
    return tuple(_handlers)


def announce(event: DossierEvent) -> None:
    """Run every registered handler in the caller's transaction, in the order registered."""
    for handler in _handlers:
        handler(event)
