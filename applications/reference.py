"""The city's 四群八链 key industry chains as first installed (fixtures/industry_fields.json); system admins edit them later."""

from accounts.reference import install_missing


def install(IndustryField):
    install_missing(IndustryField, "industry_fields", "name")
