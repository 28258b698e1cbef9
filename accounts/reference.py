"""The bureaus every installation starts with (DESIGN.md §Who uses it); editable afterwards."""

MUNICIPAL_BUREAU = "镇江市科学技术局"

# (name, district) in the order the city lists them. The seed's 镇江新区 is now 镇江经开区.
DISTRICT_BUREAUS = [
    ("京口区科学技术局", "京口区"),
    ("润州区科学技术局", "润州区"),
    ("丹徒区科学技术局", "丹徒区"),
    ("丹阳市科学技术局", "丹阳市"),
    ("扬中市科学技术局", "扬中市"),
    ("句容市科学技术局", "句容市"),
    ("镇江经开区科信局", "镇江经开区"),
    ("镇江高新区科发局", "镇江高新区"),
]


def install(Bureau):
    """Create the bureaus that are missing (the model is passed in, so migrations can use theirs)."""
    Bureau.objects.get_or_create(name=MUNICIPAL_BUREAU, defaults={"kind": "municipal", "sort_order": 0})
    for order, (name, district) in enumerate(DISTRICT_BUREAUS, start=1):
        Bureau.objects.get_or_create(name=name, defaults={"district": district, "kind": "district", "sort_order": order})
