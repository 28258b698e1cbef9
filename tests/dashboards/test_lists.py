import django_filters
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.listing import ListFilter
from accounts.roles import Role
from applications.choices import Status
from applications.models import Consortium, IndustryField
from dashboards.overview_views import LISTS
from tests import factories
from tests.dashboards import bulk

pytestmark = pytest.mark.django_db


def signed_in(client, role, **fields):
    user = factories.user(role, **fields)
    client.force_login(user)
    return user


def names(response):
    """The consortium names in the listed rows, in order."""
    return [row["name"] for row in response.context["page"].object_list]


# --- Who may open which list ----------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(LISTS))
def test_each_list_and_its_export_answer_their_roles_only(client, slug):
    page = LISTS[slug]
    for role in Role:
        signed_in(client, role)
        expected = 200 if role in page.roles else 403
        assert client.get(reverse(f"dashboards:{slug}")).status_code == expected
        assert client.get(reverse(f"dashboards:{slug}_export")).status_code == expected


def test_anonymous_visitors_are_sent_to_login(client):
    url = reverse("dashboards:consortia")
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_each_viewer_sees_only_their_scope(client):
    jingkou = bulk.consortia(2, status=Status.SUBMITTED, name="京口联合体")
    danyang = bulk.consortia(3, status=Status.FILED, district="丹阳市", name="丹阳联合体")
    drafts = bulk.consortia(1, status=Status.DRAFT, name="草稿联合体")
    url = reverse("dashboards:consortia")
    signed_in(client, Role.MUNICIPAL_STAFF)
    assert sorted(names(client.get(url))) == sorted(c.name for c in jingkou + danyang)
    signed_in(client, Role.DISTRICT_REVIEWER, bureau=factories.district("京口区"))
    assert sorted(names(client.get(url))) == sorted(c.name for c in jingkou)
    # the district filter is the city's: a district bureau cannot widen its scope with it
    assert sorted(names(client.get(url, {"district": factories.district("丹阳市").pk}))) == sorted(c.name for c in jingkou)
    signed_in(client, Role.APPLICANT, unit=drafts[0].lead_unit)
    assert names(client.get(url)) == [drafts[0].name]


# --- Paging ---------------------------------------------------------------------------------------


def test_lists_show_fifty_rows_a_page_and_page_links_keep_the_filters(client):
    bulk.consortia(120, status=Status.FILED)
    bulk.consortia(3, status=Status.SUBMITTED)
    signed_in(client, Role.MUNICIPAL_STAFF)
    response = client.get(reverse("dashboards:consortia"), {"status": "filed", "page": "2"})
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, page.paginator.count, len(page.object_list)) == (2, 3, 120, 50)
    html = response.content.decode()
    for number in (1, 3):
        assert f'href="?status=filed&amp;page={number}"' in html
    assert "第 2 / 3 页，共 120 条" in html
    assert html.count('<tr><td><a href="/reviews/') == 50


def test_a_list_opened_without_filters_reads_the_rows_the_filters_read_when_asked_nothing(client):
    """The lists as they open (no filter, no sort: read by prepared queries, overview_views._unfiltered) show the rows,
    counts and pages that the same list shows with an empty filter (read by the filter set), for every list."""
    bulk.consortia(57, status=Status.FILED)
    bulk.consortia(4, status=Status.SUBMITTED, district="丹阳市")
    compared = 0
    for user in (factories.user(Role.MUNICIPAL_STAFF), factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("京口区"))):
        client.force_login(user)
        for slug, page in LISTS.items():
            if user.role not in page.roles:
                continue
            for number in ("1", "2"):
                opened = client.get(reverse(f"dashboards:{slug}"), {"page": number})
                asked = client.get(reverse(f"dashboards:{slug}"), {"page": number, "q": ""})
                assert opened.context["page"].paginator.count == asked.context["page"].paginator.count, slug
                assert list(opened.context["page"].object_list) == list(asked.context["page"].object_list), (slug, number)
                assert opened.context["table"].rows == asked.context["table"].rows, slug
                compared += len(opened.context["page"].object_list)
    assert compared > 150  # the consortia's two pages, their members, their units … were compared


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 2), ("-1", 2), ("1e400", 1), ("\x00", 1), ("9" * 40, 2)])
def test_a_page_that_does_not_exist_shows_the_nearest_one_and_says_so(client, asked, shown):
    bulk.consortia(60)
    signed_in(client, Role.MUNICIPAL_STAFF)
    response = client.get(reverse("dashboards:consortia"), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert "没有第“" in response.content.decode()


def test_each_list_page_and_export_runs_the_same_queries_for_10_or_200_rows(client):
    city = signed_in(client, Role.MUNICIPAL_STAFF)
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("京口区"))
    members = bulk.units(3, kind="university", district=None, registered=False)

    def grow(n):
        bulk.support(bulk.consortia(n, status=Status.FILED, members=members))
        bulk.consortia(n, status=Status.SUBMITTED)
        bulk.consortia(n, status=Status.DISTRICT_PASSED, district="丹阳市")
        for _ in range(n // 10):
            factories.registration()

    urls = [reverse(f"dashboards:{slug}") for slug in LISTS] + [reverse(f"dashboards:{slug}_export") for slug in LISTS]
    urls += [reverse("dashboards:consortia") + "?q=批量&sort=-name&status=filed", reverse("dashboards:statistics"),
             reverse("dashboards:municipal"), reverse("reviews:city_queue")]
    district_urls = [reverse("dashboards:district"), reverse("reviews:district_queue"), reverse("applications:registration_queue"),
                     reverse("dashboards:consortia"), reverse("dashboards:members_export")]

    def counted():
        counts = []
        for user, pages in ((city, urls), (reviewer, district_urls)):
            client.force_login(user)
            for url in pages:
                cache.clear()  # the statistics are cached between requests
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                    if response.streaming:
                        b"".join(response.streaming_content)
                assert response.status_code == 200, url
                counts.append((url, len(queries.captured_queries)))
        return counts

    grow(10)
    few = counted()
    grow(190)
    assert Consortium.objects.count() >= 600
    assert counted() == few


# --- Search, sorting, filters ---------------------------------------------------------------------


def test_search_finds_part_of_a_name_or_a_credit_code_in_any_case(client):
    wanted = bulk.consortia(1, name="镇江航宇复合材料")[0]
    bulk.consortia(3, name="其他联合体")
    signed_in(client, Role.MUNICIPAL_STAFF)
    url = reverse("dashboards:consortia")
    assert names(client.get(url, {"q": "航宇复合"})) == [wanted.name]
    assert names(client.get(url, {"q": wanted.lead_unit.credit_code[-7:].lower()})) == [wanted.name]
    assert names(client.get(url, {"q": "  航宇   "})) == [wanted.name]
    assert names(client.get(url, {"q": "没有这个名字"})) == []


def test_search_puts_the_whole_name_before_names_that_only_contain_it(client):
    field = factories.industry_field()
    inside = factories.consortium(name="江苏镇江智能电气创新联合体", industry_field=field, status=Status.SUBMITTED)
    whole = factories.consortium(name="镇江智能电气创新联合体", industry_field=field, status=Status.SUBMITTED)
    signed_in(client, Role.MUNICIPAL_STAFF)
    response = client.get(reverse("dashboards:consortia"), {"q": "镇江智能电气创新联合体"})
    assert names(response) == [whole.name, inside.name]


def test_headings_sort_both_ways_and_keep_the_filters(client):
    made = bulk.consortia(3, status=Status.FILED)
    signed_in(client, Role.MUNICIPAL_STAFF)
    url = reverse("dashboards:consortia")
    ordered = sorted(c.name for c in made)
    assert names(client.get(url, {"sort": "name", "status": "filed"})) == ordered
    response = client.get(url, {"sort": "-name", "status": "filed"})
    assert names(response) == ordered[::-1]
    assert 'href="?sort=name&amp;status=filed"' in response.content.decode()  # clicking again sorts the other way


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"sort": "password"}, "sort", "未知的排序方式，已按默认顺序显示。"),
        ({"filed_from": "2026-13-45"}, "filed_from", "请按“年-月-日”填写日期，如 2026-01-31。"),
        ({"filed_to": "\x00"}, "filed_to", "请按“年-月-日”填写日期，如 2026-01-31。"),
        ({"filed_from": "2000-05-02", "filed_to": "2000-05-01"}, "filed_to", "截止日期不能早于起始日期。"),
        ({"q": "镇江\x00"}, "q", "含有不可见的控制字符（\\x00），请删除后重试。"),
        ({"q": "镇" * 101}, "q", "搜索内容最多 100 个字。"),
        ({"status": "'; drop table"}, "status", "请从列表中选择。"),
        ({"industry_field": "9" * 30}, "industry_field", "请从列表中选择。"),
        ({"district": "abc"}, "district", "请从列表中选择。"),
        ({"cluster": "不存在的集群"}, "cluster", "请从列表中选择。"),
    ],
)
def test_bad_filters_are_explained_beside_their_field_and_the_others_still_apply(client, query, field, message):
    filed = bulk.consortia(2, status=Status.FILED)
    bulk.consortia(1, status=Status.SUBMITTED)
    signed_in(client, Role.MUNICIPAL_STAFF)
    response = client.get(reverse("dashboards:consortia"), {**query, "status": query.get("status", "filed")})
    assert response.status_code == 200
    assert response.context["filter"].form.errors[field] == [message]
    assert message in response.content.decode()
    if field != "status":
        assert sorted(names(response)) == sorted(c.name for c in filed)
    export = client.get(reverse("dashboards:consortia_export"), query)
    assert export.status_code == 200


@pytest.mark.parametrize("slug", ["members", "units", "registrations", "appraisals"])
def test_the_other_lists_refuse_odd_input_with_a_message_too(client, slug):
    signed_in(client, Role.MUNICIPAL_STAFF)
    response = client.get(reverse(f"dashboards:{slug}"), {"q": "\x00", "sort": "x", "page": "9" * 30})
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert errors["q"] == ["含有不可见的控制字符（\\x00），请删除后重试。"]
    assert errors["sort"] == ["未知的排序方式，已按默认顺序显示。"]


def test_the_members_list_has_one_row_per_consortium_and_member_with_the_declared_kind(client):
    university = bulk.units(1, kind="university", district=None, registered=False)[0]
    made = bulk.consortia(2, status=Status.FILED, members=[university])
    signed_in(client, Role.MUNICIPAL_STAFF)
    rows = client.get(reverse("dashboards:members")).context["page"].object_list
    assert len(rows) == 4
    assert sorted((r["consortium__name"], r["role"], r["unit_kind"]) for r in rows) == sorted(
        [(c.name, "lead", "enterprise") for c in made] + [(c.name, "member", "university") for c in made]
    )
    only = client.get(reverse("dashboards:members"), {"unit_kind": "university"}).context["page"].object_list
    assert [r["unit__credit_code"] for r in only] == [university.credit_code] * 2


def test_the_unit_list_counts_the_consortia_listing_each_unit_today(client):
    shared = bulk.units(1, district="丹徒区", registered=False)[0]
    bulk.consortia(3, members=[shared])
    signed_in(client, Role.MUNICIPAL_STAFF)
    rows = client.get(reverse("dashboards:units"), {"q": shared.credit_code}).context["page"].object_list
    assert [(r["name"], r["consortium_count"]) for r in rows] == [(shared.name, 3)]
    signed_in(client, Role.DISTRICT_REVIEWER, bureau=factories.district("京口区"))
    assert client.get(reverse("dashboards:units"), {"q": shared.credit_code}).context["page"].object_list == []


def test_grades_and_projects_are_listed_within_scope(client):
    # Imported here: the after-filing records are only needed by this test.
    from django.utils import timezone

    from evaluations.models import Evaluation, SupportProject

    jingkou, danyang = bulk.consortia(1, name="京口")[0], bulk.consortia(1, district="丹阳市", name="丹阳")[0]
    for consortium, grade in ((jingkou, "excellent"), (danyang, "unqualified")):
        Evaluation.objects.create(consortium=consortium, year=2026, grade=grade, opinion="意见", basis="experts", decided_at=timezone.now())
        SupportProject.objects.create(consortium=consortium, name=f"{consortium.name}项目", level="municipal", kind="key_project",
                                      amount="150.00", starts_on="2026-01-01", ends_on="2027-12-31")
    signed_in(client, Role.MUNICIPAL_STAFF)
    rows = client.get(reverse("dashboards:evaluations"), {"grade": "excellent"}).context["page"].object_list
    assert [(r["consortium__name"], r["grade"]) for r in rows] == [(jingkou.name, "excellent")]
    response = client.get(reverse("dashboards:evaluations"), {"year": "9" * 30})
    assert response.context["filter"].form.errors["year"] == ["请填写 2000 至 2100 之间的年份。"]
    signed_in(client, Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    assert [r["name"] for r in client.get(reverse("dashboards:support-projects")).context["page"].object_list] == [f"{danyang.name}项目"]


def test_the_filter_forms_made_once_keep_each_pages_values_and_errors_and_each_roles_fields(client):
    """accounts.listing.FilterSet.get_form_class: one form class per filter set and the filters it keeps, its fields
    shared by every page; what one page was asked and its errors never show on the next."""
    signed_in(client, Role.MUNICIPAL_STAFF)
    url = reverse("dashboards:consortia")
    bad = client.get(url, {"filed_from": "2026-13-45", "q": "镇江"}).context["filter"].form
    good = client.get(url, {"q": "常州"}).context["filter"].form
    blank = client.get(url).context["filter"].form
    assert type(bad) is type(good) is type(blank)
    assert bad.fields["q"] is good.fields["q"]  # shared, not copied
    assert bad.errors == {"filed_from": ["请按“年-月-日”填写日期，如 2026-01-31。"]}
    assert (good.errors, good["q"].value(), good["filed_from"].value()) == ({}, "常州", None)
    assert (blank.errors, blank["q"].value()) == ({}, None)
    page = client.get(url, {"filed_from": "2026-01-01"})
    assert 'name="filed_from" id="id_filed_from" class="form-control form-control-sm" value="2026-01-01"' in page.content.decode()
    assert 'value="2026-13-45"' not in page.content.decode()

    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    district = client.get(url).context["filter"].form
    assert "district" in blank.fields and "district" not in district.fields


def test_a_filter_whose_choices_follow_the_request_is_refused_when_its_form_is_made():
    class PerRequest(ListFilter):
        unit = django_filters.ModelChoiceFilter(queryset=lambda request: Consortium.objects.none())

        class Meta:
            model = Consortium
            fields = []

    with pytest.raises(TypeError, match="PerRequest.unit: 每页共用的筛选表单不能有随请求而变的选项"):
        PerRequest({}).form


def test_a_shared_filter_fields_options_are_read_on_each_page(client):
    """The shared fields keep no options of their own: an industry field added or a district renamed shows at once."""
    signed_in(client, Role.MUNICIPAL_STAFF)
    url = reverse("dashboards:consortia")
    assert "新增的产业领域" not in client.get(url).content.decode()
    field = IndustryField.objects.create(name="新增的产业领域", cluster="新增的集群", sort_order=999)
    page = client.get(url).content.decode()
    assert f'<option value="{field.pk}">新增的产业领域</option>' in page and ">新增的集群</option>" in page


@pytest.mark.django_db
def test_each_filter_set_filters_through_its_own_copies_of_the_declared_filters():
    """accounts.listing.FilterSet copies the declared filters shallowly (not django-filter's deep copy): each filter set
    still has its own, with its own parent, keyword arguments and method, and the declarations are never changed; it
    sets what django-filter's own __init__ sets (an upgrade that sets more fails here)."""

    class ByName(ListFilter):
        name = django_filters.CharFilter(method="by_name", label="名称")

        class Meta:
            model = Consortium
            fields = []

        def by_name(self, consortia, name, value):
            self.asked = value
            return consortia.filter(name__contains=value)

    factories.consortium(name="镇江甲联合体")
    first, second = ByName({"name": "甲"}), ByName({"name": "乙"})
    assert [c.name for c in first.qs] == ["镇江甲联合体"] and list(second.qs) == []
    assert (first.asked, second.asked) == ("甲", "乙")  # each method ran on its own filter set
    assert first.filters["name"] is not second.filters["name"] and first.filters["name"].parent is first
    first.filters["name"].extra["help_text"] = "只在这一页"
    assert "help_text" not in second.filters["name"].extra and "help_text" not in ByName.base_filters["name"].extra
    assert not hasattr(ByName.base_filters["name"], "parent")
    theirs = ByName.__new__(ByName)
    django_filters.FilterSet.__init__(theirs, {"name": "甲"})  # django-filter's own: ours must set what it sets
    assert set(vars(ByName({"name": "甲"}))) == set(vars(theirs)) and [c.name for c in theirs.qs] == ["镇江甲联合体"]
