"""A value bound to a ContextVar for the length of a block: what the code serving a request sets for the code below it
that has no request to be given (the audit's client address, the session whose user is being read)."""

from contextlib import contextmanager


@contextmanager
def bound(variable, value):
    """``variable`` (a ContextVar) set to ``value`` inside the block, and as it was after it, whatever happens."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
