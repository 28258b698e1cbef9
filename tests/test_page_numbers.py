"""Every ``page`` parameter the portal reads (accounts.listing.paginate, evaluations.web.page_of, the messages,
the public 公示 page) answers a page for whatever is asked: never a 500 (issue 19: ``/public/?page=²``)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

# Digits that str.isdigit() accepts and int() refuses (² ①), that int() reads (٢ ２), past int()'s 4,300-digit
# limit, NUL, a float, a negative number, nothing.
ODD_PAGES = ["²", "①", "٢", "２", "0" * 5000 + "2", "9" * 5000, "\x00", "1e400", "-1", ""]

PAGES = [
    (Role.MUNICIPAL_STAFF, "dashboards:consortia"),  # accounts.listing.paginate
    (Role.MUNICIPAL_STAFF, "evaluations:index"),  # evaluations.web.page_of
    (Role.MUNICIPAL_STAFF, "evaluations:bans"),
    (Role.MUNICIPAL_STAFF, "evaluations:recommended"),
    (Role.EXPERT, "accounts:messages"),
    (None, "dashboards:public"),
]


@pytest.mark.parametrize(("role", "name"), PAGES)
def test_an_odd_page_number_answers_a_page(client, role, name):
    if role is not None:
        client.force_login(factories.user(role))
    for asked in ODD_PAGES:
        response = client.get(reverse(name), {"page": asked})
        assert (asked[:10], response.status_code) == (asked[:10], 200)
        if role is not None:  # the public page is served from the cache as HTML: no context to read
            assert response.context["page"].number == 1
