"""A date typed so that it cannot be read is refused beside its field with one sentence, wherever it is typed: the
申请书's platforms, projects and signatures, the consortium page's 查看日期, a follow-up's 完成期限, the grading form's
report date (the lists' and queues' filters: tests/dashboards/test_lists.py, tests/reviews/test_review.py)."""

import pytest

from applications.forms import PlatformForm, ProjectForm, SignatoryForm
from evaluations.grading.forms import GradeForm
from evaluations.liaison.forms import FollowUpForm
from evaluations.membership.forms import MembersOnForm

SENTENCE = "请按“年-月-日”填写日期，如 2026-01-31。"
FORMS = [
    (PlatformForm, "built_on", {}),
    (ProjectForm, "starts_on", {}),
    (ProjectForm, "ends_on", {}),
    (SignatoryForm, "signed_on", {"unit": 1}),
    (MembersOnForm, "on", {}),
    (FollowUpForm, "due_on", {"task": "报送中试计划"}),
    (GradeForm, "third_party_report_date", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "name", "data"), FORMS, ids=[f"{f.__name__}.{n}" for f, n, _ in FORMS])
@pytest.mark.parametrize("typed", ["2026-13-45", "2026-02-30", "明年三月", "\x00"])
def test_a_date_that_cannot_be_read_is_refused_with_one_sentence_and_kept(form_class, name, data, typed):
    form = form_class({**data, name: typed})
    assert not form.is_valid()
    assert form.errors[name] == [SENTENCE]
    assert form[name].value() == typed  # shown again as typed


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "name", "data"), FORMS, ids=[f"{f.__name__}.{n}" for f, n, _ in FORMS])
def test_a_date_written_year_month_day_is_read(form_class, name, data):
    form = form_class({**data, name: "2026-01-31"})
    form.is_valid()
    assert name not in form.errors
    assert form.cleaned_data[name].isoformat() == "2026-01-31"
