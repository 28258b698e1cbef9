from applications.dossier import verification

SHA = "9f3a1c2b77d0e4a5" + "0" * 48


def test_the_code_is_the_hash_prefix_grouped_by_four():
    assert verification.code_for(SHA) == "9F3A-1C2B-77D0-E4A5"


def test_typed_codes_are_normalised():
    assert verification.normalize("9f3a 1c2b-77d0 E4A5") == "9f3a1c2b77d0e4a5"
    assert verification.normalize("9F3A-1C2B-77D0") is None
    assert verification.normalize("9F3A-1C2B-77D0-E4AZ") is None
    assert verification.normalize("") is None
