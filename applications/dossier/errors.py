"""Errors a render can stop with; their text is shown to the user as it is."""


class DossierError(Exception):
    """The dossier cannot be rendered; str(error) is a Chinese message for the user."""


class FontMissing(DossierError):
    pass
