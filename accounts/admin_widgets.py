"""Admin pieces shared by every app's admin."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class TolerantAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks a posted value up as it is when the form comes back with an error;
    a value that is not a key at all (typed or forged: "abc") raised a server error. Such values are
    dropped here, and the form says "请选择有效的选项" beside the field as for any wrong choice."""

    def optgroups(self, name, value, attr=None):
        key = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        usable = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            usable.append(item)
        return super().optgroups(name, usable, attr)


class TolerantAutocompleteMixin:
    """For a ModelAdmin with autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
