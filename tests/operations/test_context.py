from contextvars import ContextVar

import pytest

from operations.context import bound

SEEN = ContextVar("seen", default="before")


def test_a_bound_value_holds_inside_the_block_and_is_undone_after_it_even_when_it_raises():
    with bound(SEEN, "inside"):
        assert SEEN.get() == "inside"
        with bound(SEEN, "nested"):
            assert SEEN.get() == "nested"
        assert SEEN.get() == "inside"
    assert SEEN.get() == "before"
    with pytest.raises(ValueError), bound(SEEN, "failing"):
        raise ValueError("出错")
    assert SEEN.get() == "before"
