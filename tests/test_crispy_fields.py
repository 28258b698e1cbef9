"""|as_crispy_field written in Python for a plain field and |crispy for a plain form (zhenjiang_consortia/crispy_fields.py):
the HTML is crispy's, for every kind of field, form and value, and for every page that draws fields with them (white
space aside)."""

import copy

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field as crispy_field
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form as crispy_form
from django import forms
from django.conf import settings
from django.test import override_settings
from django.test.html import parse_html
from django.utils import timezone

from accounts.roles import Role
from applications.choices import EDITOR_PARTS, Status
from candidates import services as candidate_services
from evaluations.liaison import services as liaison_services
from evaluations.reports import services as reports_services
from tests import factories
from tests.lifecycle import cast_at, file_earlier, submit_report
from tests.test_form_renderer import INITIAL, VALUES, Everything, normalized
from zhenjiang_consortia.crispy_fields import as_crispy_field, as_crispy_form


class Required(forms.Form):
    name = forms.CharField(label="名称 <必填>", max_length=10, help_text="不超过 <b>10</b> 个字")
    kind = forms.ChoiceField(choices=[("a", "甲")], help_text="请选择")
    note = forms.CharField(widget=forms.Textarea(attrs={"class": "already textarea"}), required=False)
    amount = forms.DecimalField(error_messages={"invalid": "请输入数字 <金额>"})
    level = forms.ChoiceField(choices=[("a", "甲 <一>"), ("b", "乙")], widget=forms.RadioSelect, help_text="单选 <b>一项</b>")
    tags = forms.MultipleChoiceField(choices=[("x", "X"), ("组", [("y", "Y"), ("z", "Z")])],
                                     widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))


@pytest.mark.parametrize("data", [*VALUES, None, {"name": "x" * 11, "amount": "abc"}, {"level": "b", "tags": ["x", "z"]}])
@pytest.mark.parametrize("form_class", [Everything, Required])
def test_every_field_is_drawn_as_crispy_draws_it(data, form_class):
    def fresh():  # crispy adds classes to the form's widgets: each way draws its own form
        return form_class(copy.deepcopy(data), initial=INITIAL) if data is not None else form_class(initial=INITIAL)

    ours, theirs = fresh(), fresh()
    for name in ours.fields:
        assert parse_html(as_crispy_field(ours[name])) == parse_html(crispy_field(theirs[name])), name
        # Drawn a second time (a page may draw a field twice): still the same.
        assert parse_html(as_crispy_field(ours[name])) == parse_html(crispy_field(theirs[name])), name


@pytest.mark.parametrize("data", [*VALUES, None, {"name": "x" * 11, "amount": "abc"}, {"level": "b", "tags": ["x", "z"]}])
@pytest.mark.parametrize("form_class", [Everything, Required])
def test_every_form_is_drawn_as_crispy_draws_it_with_its_errors(data, form_class):
    def fresh():
        form = form_class(copy.deepcopy(data), initial=INITIAL) if data is not None else form_class(initial=INITIAL)
        if data is not None:
            form.is_valid()
            form.add_error(None, "两项 <不一致>")
            form.add_error(None, "另一个 & 错误")
        return form

    ours, theirs = fresh(), fresh()
    drawn = as_crispy_form(ours)
    assert parse_html(drawn) == parse_html(crispy_form(theirs))
    assert (drawn.count("<li>") == 2) is (data is not None)  # the form's own errors, listed once
    assert parse_html(as_crispy_form(ours, label_class="col-2")) == parse_html(crispy_form(fresh(), label_class="col-2"))


# The same templates with crispy's own library under the name they load.
CRISPY_ONLY = [{**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"],
                                                     "libraries": {"crispy_fields": "crispy_forms.templatetags.crispy_forms_tags"}}}]


def pages():
    """(user, path) of the pages that draw fields with |as_crispy_field, for the roles that open them."""
    cast = cast_at(Status.UNDER_APPRAISAL)
    draft = cast_at(Status.DRAFT, members=3)
    filed = cast_at(Status.FILED)
    year = timezone.localdate().year
    file_earlier(filed.consortium, year - 2)
    submit_report(filed.consortium, filed.applicant, year - 1)
    reports_services.start_report(filed.consortium.pk, filed.applicant, year)
    fk = filed.consortium.pk
    liaison_services.assign_liaison(fk, filed.city, filed.city)
    candidate = candidate_services.add_candidate(cast.district, {
        "name": "镇江恒顺新材料有限公司", "credit_code": factories.credit_code(), "bureau": cast.district.bureau,
        "industry_field": factories.industry_field(), "contact_name": "王经理", "contact_phone": "13800000001",
        "contact_email": "wang@example.com", "reason": "行业龙头"})
    dk = draft.consortium.pk
    return [
        *[(draft.applicant, f"/applications/{dk}/edit/{part}/") for part, _label in EDITOR_PARTS],
        (draft.applicant, f"/applications/{dk}/edit/attachments/"), (draft.applicant, f"/applications/{dk}/check/"),
        (cast.district, f"/candidates/{candidate.pk}/edit/"), (cast.district, "/candidates/new/"),
        (cast.city, "/reviews/city/"), (cast.city, f"/reviews/{cast.consortium.pk}/"),
        (filed.city, f"/evaluations/{fk}/"), (filed.city, f"/evaluations/{fk}/reports/{year - 1}/grade/"),
        (filed.city, f"/evaluations/{fk}/reports/{year - 2}/grade/"), (filed.city, f"/evaluations/{fk}/projects/new/"),
        (filed.city, f"/evaluations/{fk}/work/new/"), (filed.city, "/evaluations/bans/"),
        (filed.applicant, f"/evaluations/{fk}/reports/{year}/"), (filed.applicant, f"/evaluations/{fk}/member-changes/new/"),
        (filed.applicant, f"/evaluations/{fk}/dissolution/"), (filed.applicant, "/workbench/applicant/"),
        (factories.user(Role.SYSTEM_ADMIN), "/evaluations/filed-import/"), (filed.city, "/accounts/password/change/"),
        (factories.user(Role.APPLICANT), "/applications/new/"),
        (None, "/accounts/login/"), (None, "/register/"), (None, "/accounts/password/reset/"),
    ]


@pytest.mark.django_db
def test_every_page_that_draws_fields_is_the_same_with_crispys_own_drawing(client):
    drawn = written_here = 0
    for user, path in pages():
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        ours = client.get(path)
        assert ours.status_code == 200, path
        with override_settings(TEMPLATES=CRISPY_ONLY):
            theirs = client.get(path).content.decode()
        ours = ours.content.decode()
        assert parse_html(normalized(ours)) == parse_html(normalized(theirs)), path
        drawn += ours.count('class="mb-3')
        written_here += normalized(ours) != normalized(theirs)  # the same HTML, but not the same white space
    assert drawn > 40  # the pages did draw fields
    assert written_here > 15  # and most of them through crispy_fields.py
