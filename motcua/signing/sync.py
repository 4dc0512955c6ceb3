"""pyHanko's validator and signer are asynchronous and its synchronous wrappers call
``asyncio.run``, which refuses to run where an event loop is already running in the thread (an
ASGI server, a test driving a browser). ``outside_loop`` runs such work in a thread of its own
then, and directly otherwise."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


def outside_loop[T](work: Callable[[], T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()
