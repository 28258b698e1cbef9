"""URL converters of the portal."""


class IdConverter:
    """A record's id in an address: 1 to 18 digits.

    Django's "int" takes any number of digits; a 25-digit id then overflows SQLite's integers (a server
    error) where no record could have it. Up to 18 digits always fit a 64-bit key; a longer one matches
    no address at all, so it answers 404 like any other id that names nothing.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
