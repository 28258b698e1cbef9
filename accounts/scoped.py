"""Prepared queries of what a user may see (operations.prepared), compiled once per kind of user.

A scope (``visible_to(user)``) reads the user's role, and by the role the user's id, unit or bureau. ``Scoped(build)``
takes ``build(user, *values)``, a queryset starting from some ``visible_to(user)``; it is prepared once for each role
(and for a user without a unit or a bureau, whose scope Django writes differently), with a stand-in user carrying
markers for the id, the unit and the bureau, and run with the user's own. The scope must read nothing of the user but
those four (tests/test_prepared.py holds scoped counts equal to the ORM's for users of every role that uses them).
"""

import inspect

from operations.prepared import Prepared

from .models import User

_USER = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in ("user", "unit", "bureau")]


class Scoped:
    """``Scoped(build)`` for rows, ``Scoped(build, PreparedCount)`` for how many; called as ``scoped(user, *values)``."""

    def __init__(self, build, prepared=Prepared):
        self._build = build
        self._prepared = prepared
        self._by_kind = {}

    def __call__(self, user, *values):
        kind = (user.role, user.unit_id is None, user.bureau_id is None)
        prepared = self._by_kind.get(kind)
        if prepared is None:
            prepared = self._by_kind[kind] = self._prepared(self._for(*kind), optional=len(_USER))
        return prepared(user.pk, user.unit_id or 0, user.bureau_id or 0, *values)

    def _for(self, role, without_unit, without_bureau):
        def build(user, unit, bureau, *values):
            stand_in = User(pk=user, role=role, unit_id=None if without_unit else unit, bureau_id=None if without_bureau else bureau)
            return self._build(stand_in, *values)

        values = list(inspect.signature(self._build).parameters.values())[1:]
        build.__signature__ = inspect.Signature(_USER + values)
        return build
