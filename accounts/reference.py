"""Reference data every installation starts with, kept as Django fixtures in ``fixtures/`` (DESIGN.md's layout).

Migrations install them (``install()`` with the migration's own model) and ``load_demo`` relies on them;
afterwards the system administrator edits the rows, and installing again adds only what is missing,
never overwriting an edit. ``python manage.py loaddata bureaus`` reads the same files.
"""

import json

from django.conf import settings

FIXTURES = settings.BASE_DIR / "fixtures"


def fixture_rows(name):
    """The fields of each object in fixtures/<name>.json, in file order."""
    return [item["fields"] for item in json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))]


def install_missing(Model, name, key):
    """Create the rows of a fixture that are missing, found by their ``key`` field; existing rows stay as edited."""
    for fields in fixture_rows(name):
        Model.objects.get_or_create(**{key: fields[key]}, defaults={k: v for k, v in fields.items() if k != key})


# The bureaus (DESIGN.md §Who uses it): the municipal one and the 8 district bureaus. The seed's 镇江新区 is now 镇江经开区.
MUNICIPAL_BUREAU = next(fields["name"] for fields in fixture_rows("bureaus") if fields["kind"] == "municipal")


def install(Bureau):
    install_missing(Bureau, "bureaus", "name")
