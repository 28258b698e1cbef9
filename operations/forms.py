"""Forms that share their class's field objects instead of deep-copying them for each form."""


class _SharedFields(dict):
    """A form class's fields that each form shares instead of deep-copying them (shared_fields)."""

    def __deepcopy__(self, memo):
        return dict(self)


def shared_fields(form_class):
    """A form whose fields are never changed by a form or its drawing shares its class's field objects: Django
    deep-copies every field of every form, which for the 申请书's member table (a form per row) was a sixth of the
    page, and for a list's filters (a select of choices read from the database each) a tenth. Each form still has
    its own dict of fields (a formset adds its DELETE field to it); a form that changes a field (its choices, its
    widget's attributes) for one request must not use this."""
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class
