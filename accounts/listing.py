"""What every list page shares: search, sorting, paging, and the columns that its table and its Excel
export show. Bottom layer: imports nothing of ours but the spreadsheet cells (exports.py).

A list is three things, written where its data lives:

    COLUMNS = [Column("name", "创新联合体名称", sort="name", link=…), Column("filed_on", "备案日期", DATE, sort="filed_on"), …]

    class ConsortiumFilter(ListFilter):                       # django-filter: the query string → a queryset
        q = SearchFilter(("name", "lead_unit__credit_code"), label="名称或统一社会信用代码")
        status = django_filters.ChoiceFilter(…)
        sort = SortFilter(COLUMNS)

    found = ConsortiumFilter(request.GET, queryset=Consortium.objects.visible_to(user).order_by(…), request=request)
    page = paginate(request, found.qs, values=keys(COLUMNS))

and the page shows ``table(COLUMNS, page.object_list, request)``; the export writes
``export_rows(COLUMNS, found.qs.values(*keys(COLUMNS)))`` (downloads.xlsx_response): the same columns, the
same filters, the same order, row for row.

Rows are plain values (``QuerySet.values()``), and each cell is formatted once in Python: a table
of 50 rows is written by ``{% list_table %}`` (accounts/templatetags/listing.py), never a template per row or cell.

Over 400 lines on purpose: a list's search, sorting, paging, columns and filter set are used together by every
list and its export, and read in one place a new list is written from the example above.
"""

import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connections
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django_filters.filters import FilterMethod

from operations import clock, phrases
from operations.forms import shared_fields
from operations.text import escape_text

from .exports import DATE, DATETIME, INTEGER, MONEY, TEXT, safe_cell  # noqa: F401 (the kinds, for the lists' columns)

PAGE_SIZE = 50
SEARCH_MAX_CHARS = 100

# Django's own zh-hans text for this refusal reads "不允许是用空字符串", which says the opposite.
NO_NUL = ProhibitNullCharactersValidator(message="含有不可见的控制字符（\\x00），请删除后重试。")
DATE_ERRORS = {"invalid": phrases.DATE_INVALID}
CHOICE_ERRORS = {"invalid_choice": "请从列表中选择。"}


# --- Search ------------------------------------------------------------------------------------------


def search(queryset, value, fields):
    """Rows where any of ``fields`` contains ``value`` (case-insensitive), the best matches first.

    On PostgreSQL the match is served by the trigram (pg_trgm) indexes of migration
    applications 0007 and ranked by trigram similarity; elsewhere (SQLite in development and
    tests) a whole-field match ranks above a prefix, and a prefix above any other match.
    An explicit sort (SortFilter) replaces the ranking.

    Fields of a related row ("lead_unit__name") are matched in a subquery on that row's own table
    ("lead_unit__in=Unit.objects.filter(…)"): each table's condition then uses its own index, where
    one OR across a join would read both tables whole.
    """
    value = " ".join(value.split())
    if not value:
        return queryset
    by_relation = {}
    for name in fields:
        relation, _, field_name = name.rpartition("__")
        by_relation.setdefault(relation, Q())
        by_relation[relation] |= Q(**{f"{field_name}__icontains": value})
    matches = Q()
    for relation, condition in by_relation.items():
        if relation:
            matches |= Q(**{f"{relation}__in": _related_model(queryset.model, relation).objects.filter(condition).values("pk")})
        else:
            matches |= condition
    queryset = queryset.filter(matches)
    if connections[queryset.db].vendor == "postgresql":
        # Imported here: django.contrib.postgres loads psycopg, which a SQLite installation may not have.
        from django.contrib.postgres.search import TrigramSimilarity

        similarities = [TrigramSimilarity(name, value) for name in fields]
        rank = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
    else:
        rank = Case(
            *[When(**{f"{name}__iexact": value}, then=Value(2)) for name in fields],
            *[When(**{f"{name}__istartswith": value}, then=Value(1)) for name in fields],
            default=Value(0), output_field=IntegerField(),
        )
    return queryset.annotate(search_rank=rank).order_by("-search_rank", "-pk")


def _related_model(model, path):
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


class TextField(forms.CharField):
    """A CharField whose refusal of NUL characters is worded correctly in Chinese."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)] + [NO_NUL]


class SearchFilter(django_filters.CharFilter):
    """``q``: one box searching names and credit codes (see search())."""

    field_class = TextField

    def __init__(self, fields, **kwargs):
        self.search_fields = tuple(fields)
        kwargs.setdefault("max_length", SEARCH_MAX_CHARS)
        kwargs.setdefault("error_messages", {"max_length": f"搜索内容最多 {SEARCH_MAX_CHARS} 个字。"})
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return search(qs, value, self.search_fields) if value else qs


# --- Columns -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list: its key in the row (a ``values()`` name), its heading, and how it shows.

    kind: TEXT, DATE, DATETIME, MONEY or INTEGER (exports.py) — dates stay dates and money stays a
    number in the export. ``labels`` maps stored choice values to what users read; ``sort`` is the
    field ordered by when the heading is clicked; ``link(row)`` and ``badge(row)`` only shape the page;
    ``table``/``export``: whether the column is shown on the page and in the export.
    """

    key: str
    label: str
    kind: str = TEXT
    sort: str | None = None
    labels: dict | None = None
    link: object = None
    badge: object = None
    css: str = ""
    table: bool = True
    export: bool = True
    fetch: tuple = field(default=())  # further row keys that link/badge read

    def value(self, row):
        """The cell's value for the export: text as users read it, dates as dates, money as a number."""
        value = row[self.key]
        if value is None:
            return None
        if self.labels is not None:
            return self.labels.get(value, value)
        if self.kind == DATETIME:
            return clock.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if self.kind == MONEY:
            return Decimal(value)
        return value

    def html(self, row):
        """The cell as escaped HTML text (the table's hot loop: plain string work, no template, no format_html)."""
        value = row[self.key]
        if self.badge is not None:
            return self.badge(row)
        if value is None or value == "":
            return ""
        if self.labels is not None:
            text = str(self.labels.get(value, value))
        elif self.kind == DATE:
            text = value.strftime("%Y-%m-%d")
        elif self.kind == DATETIME:
            text = clock.localtime(value).strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)
        elif self.kind == MONEY:
            text = f"{value:,.2f}"
        else:
            text = str(value)
        if self.link is not None:
            return f'<a href="{escape_text(self.link(row))}">{escape_text(text)}</a>'
        return escape_text(text)


def keys(columns):
    """The row keys a list's query must fetch (``values(*keys(COLUMNS))``)."""
    found = ["pk"]
    for column in columns:
        for key in (column.key, *column.fetch):
            if key not in found:
                found.append(key)
    return found


# --- Sorting -----------------------------------------------------------------------------------------


class SortFilter(django_filters.ChoiceFilter):
    """``sort``: a sortable column's key, or "-key" for descending; unknown keys are explained, not obeyed.

    Rows that sort alike keep one order (by id), so that paging neither repeats nor skips a row.
    """

    def __init__(self, columns, **kwargs):
        self.orderings = {column.key: column.sort for column in columns if column.sort}
        labels = {column.key: column.label for column in columns if column.sort}
        choices = []
        for key, label in labels.items():
            choices += [(key, f"{label} ↑"), (f"-{key}", f"{label} ↓")]
        kwargs.setdefault("label", "排序")
        kwargs.setdefault("empty_label", "默认")
        kwargs.setdefault("error_messages", {"invalid_choice": "未知的排序方式，已按默认顺序显示。"})
        super().__init__(choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        descending = value.startswith("-")
        ordering = self.orderings[value.lstrip("-")]
        sign = "-" if descending else ""
        return qs.order_by(f"{sign}{ordering}", f"{sign}pk")


# --- The filter set ----------------------------------------------------------------------------------


_FORM_CLASSES = {}  # FilterSet.get_form_class


class FilterSet(django_filters.FilterSet):
    """django-filter's filter set whose form class is made once per filter set class and the filters it keeps (a
    ScopedFilter drops some for some roles), its fields shared by every form: django-filter made the class, every
    field and a copy of each again for each page (a tenth of a list's CPU). The fields follow from the filters'
    declarations alone; a filter whose choices depend on the request (a callable queryset) is refused.

    Each filter set has its filters as django-filter gives them, its own copies, but shallow ones: django-filter
    deep-copied every filter with its querysets and choices for each page (another tenth of a list's CPU), where only
    the copy's model, parent, keyword arguments (``extra``) and method are ever set per filter set."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django_filters.FilterSet.__init__ (26.2) but for the copy of the filters.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset, self.request, self.form_prefix = queryset, request, prefix
        self.filters = {name: self._own(filter_) for name, filter_ in self.base_filters.items()}

    def _own(self, declared):
        filter_ = copy.copy(declared)
        filter_.extra = dict(declared.extra)
        if isinstance(declared.__dict__.get("filter"), FilterMethod):  # a method= filter calls its own filter set's
            filter_.filter = FilterMethod(filter_)
        filter_.model, filter_.parent = self.queryset.model, self
        return filter_

    def get_form_class(self):
        key = (type(self), tuple(self.filters))
        if key not in _FORM_CLASSES:
            for name, filter_ in self.filters.items():
                if callable(getattr(filter_, "queryset", None)):
                    raise TypeError(f"{type(self).__name__}.{name}: 每页共用的筛选表单不能有随请求而变的选项")
            _FORM_CLASSES[key] = shared_fields(self._form_class())
        return _FORM_CLASSES[key]

    def _form_class(self):
        return super().get_form_class()


class ListFilter(FilterSet):
    """A list's filters. Invalid values are explained beside their field and left out; the valid ones
    still apply (django-filter filters with the fields that validated)."""

    # (start, end) pairs of date filters: an end before its start is explained beside the end.
    date_ranges = ()

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def _form_class(self):
        form_class = super()._form_class()
        ranges = self.date_ranges

        def clean(form):
            cleaned = form_class.clean(form)
            for start, end in ranges:
                if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                    form.add_error(end, "截止日期不能早于起始日期。")
            return cleaned

        return type(form_class.__name__, (form_class,), {"clean": clean}) if ranges else form_class

    def describe(self):
        """The filters in use, in words, for the export's audit event and its 说明 sheet."""
        self.form.is_valid()
        shown = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            form_field = self.form.fields[name]
            if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
                value = dict(form_field.choices).get(value, value)
            shown.append(f"{form_field.label} {value}")
        return "；".join(shown) or "无"


def date_filter(field_name, lookup, label):
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup, label=label, input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS,
    )


# --- Paging and the table ----------------------------------------------------------------------------


def paginate(request, rows, per_page=PAGE_SIZE, param="page", values=None):
    """One page of rows, with the pager's links (templates/includes/pager.html) keeping every other
    parameter of the query string: the filters, the sort, another list's page.

    ``values``: the row keys to fetch (keys(COLUMNS)): the rows are counted without the joins those
    keys need, and only the page's rows are fetched, as plain values.
    ``rows`` may be PreparedRows (then without ``values``: its page is read as it was prepared).

    A page number that is not one (text, NUL, 0, 10^30) shows the nearest page that exists, and
    ``page.asked`` keeps what was asked, so that the pager can say so.
    """
    asked = request.GET.get(param)
    page = Paginator(rows, per_page).get_page(asked)
    if values is not None:
        page.object_list = list(rows.values(*values)[page.start_index() - 1:page.end_index()]) if page.paginator.count else []
    page.asked = asked[:20] if asked not in (None, "", str(page.number)) else None
    query = request.GET.copy()

    def link(number):
        query[param] = str(number)
        return "?" + query.urlencode()

    page.first_url = link(1) if page.has_previous() else None
    page.previous_url = link(page.previous_page_number()) if page.has_previous() else None
    page.next_url = link(page.next_page_number()) if page.has_next() else None
    page.last_url = link(page.paginator.num_pages) if page.has_next() else None
    return page


class PreparedRows:
    """A list's rows read by prepared queries (operations.prepared, accounts.scoped) for ``paginate``: ``count()`` says
    how many there are, ``rows[start:stop]`` reads a page of them (as ``values()`` rows) — what Paginator asks of a
    queryset, without a queryset built and compiled on each page. For a list whose query does not depend on the
    request (no filters): a queue."""

    def __init__(self, count, page):
        self._count, self._page = count, page

    def count(self):
        return self._count()

    def __getitem__(self, page):
        return self._page(page) if page.start < page.stop else []  # a list of none has an empty page: nothing to ask


@dataclass
class Heading:
    label: str
    url: str | None  # the link that sorts by this column (the other way if it is sorted now)
    arrow: str


@dataclass
class Table:
    headings: list
    rows: list  # each row's cells as one piece of HTML ("<td>…</td><td>…</td>"), ready for the template


def table(columns, rows, request=None, sort_param="sort"):
    """The page's table: headings with sort links that keep the other filters, and the rows, each formatted
    once in Python into the HTML of its cells (values escaped), so that the template loops over rows only."""
    shown = [column for column in columns if column.table]
    headings = []
    current = request.GET.get(sort_param, "") if request is not None else ""
    for column in shown:
        url, arrow = None, ""
        if column.sort and request is not None:
            query = request.GET.copy()
            query.pop("page", None)
            ascending = current != column.key
            query[sort_param] = column.key if ascending else f"-{column.key}"
            url = "?" + query.urlencode()
            arrow = " ↑" if current == column.key else " ↓" if current == f"-{column.key}" else ""
        headings.append(Heading(column.label, url, arrow))
    opening = [f'<td class="{column.css}">' if column.css else "<td>" for column in shown]
    cells = [
        SafeString("".join(f"{start}{column.html(row)}</td>" for start, column in zip(opening, shown)))  # every value escaped by Column.html
        for row in rows
    ]
    return Table(headings, cells)


def link_to(url_name, key="pk"):
    """``row -> URL`` of a page taking one id (e.g. reviews:review): reversed once, then filled in per row,
    so that 50 links cost one reverse() instead of 50."""
    placeholder = "2718281828"
    pattern = []

    def link(row):
        if not pattern:
            pattern.append(reverse(url_name, args=[int(placeholder)]))
        return pattern[0].replace(placeholder, str(row[key]), 1)

    return link


def export_rows(columns, rows):
    """The export's rows: every exported column, values made safe for spreadsheets (exports.safe_cell)."""
    exported = [column for column in columns if column.export]
    for row in rows:
        yield [safe_cell(column.value(row)) for column in exported]


def export_headings(columns):
    return [(column.label, column.kind) for column in columns if column.export]

