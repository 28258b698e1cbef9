"""Querysets compiled to SQL once per process, then run with new values (issue 22).

Django builds and compiles a queryset's SQL again on every request: for a page that reads a dozen tables by one key
(the consortium page: its grades, requests, projects, liaisons, timeline) that is most of its CPU. A prepared query
is written as the ORM query it stands for, with its variable values as the arguments of a function::

    GRADES = Prepared(lambda consortium: Evaluation.objects.filter(consortium_id=consortium).order_by("year", "pk"))
    GRADES(consortium.pk)  # → [Evaluation, …], as list(Evaluation.objects.filter(consortium_id=…).order_by(…))

The function is called once per database (and length of its list arguments), with a marker in place of each
argument (an integer, a day, a list of integers or of texts that no record of the portal takes); its queryset is
compiled, and the markers are found among the statement's parameters (a page of rows, ``rows[page]``, is found at the
end of the statement, where Django writes its limit and offset, and made two parameters). Each call then sends the same statement with the values in
their places and makes the rows into objects as Django's ModelIterable does (each column through its field's
converters, ``Model.from_db``, select_related objects, annotations), or into dicts and tuples for ``values()`` and
``values_list()``.
PreparedCount does the same for ``count()``.

What a prepared query can be, checked when it is compiled (ImproperlyConfigured otherwise): a queryset of model
objects, ``values()`` or ``values_list()``, without ``prefetch_related`` (prefetch with another prepared query), whose every
argument ends up among the statement's parameters as it was given (not in a slice of its own making, which Django
writes into the SQL — a page is an argument annotated ``slice`` —, nor computed from: pass ``year - 1``, not ``year``). It is compiled with two runs of markers, which must give the same
statement (a constant of the query that happens to equal a marker would not). The function must read nothing else
that changes — not the clock, not the settings — since it runs once: pass the day as an argument.
tests/test_prepared.py holds each prepared query of the portal equal to the ORM's, on both databases.

Over 400 lines on purpose: compiling a queryset, finding its markers and turning its rows back into objects are one
mechanism, read together where Django's own is followed step by step.
"""

import inspect
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Exists, Window
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable, get_related_populators

# The markers: integers counted down from the first, within the range of the smallest integer column (a year is a
# PositiveSmallIntegerField: 0–32767; Django answers a lookup with a value out of its column's range by no SQL at all),
# and days no record of the portal is dated. A query is compiled with each of two runs of markers: the statement and
# the markers' places must be the same, or one of its own constants was taken for a marker.
_MARKER_RUNS = ((32_760, date(9999, 12, 31)), (29_760, date(9998, 12, 31)))
_LONGEST_LIST = 1000
# The limit and offset of a page (an argument annotated slice), in each run of markers: numbers no page has.
_PAGE_MARKERS = ((900_000_007, 800_000_011), (900_000_019, 800_000_023))
_TEXTS = "a list of texts"  # the kind of an argument annotated list[str] (for ``__in`` of texts: credit codes)
_LISTS = (list, _TEXTS)


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    slots: tuple  # (position in params, index of the argument, item of a list argument or None, how the value is written or None)


@dataclass(frozen=True)
class _Rows:
    """How a statement's rows become objects (or tuples where ``model`` is None; dicts of ``init_list`` where it is
    dict): what Django's compiler found."""

    compiler: object  # the compiler that compiled it: its select, converters and class information
    converters: dict
    model: type
    init_list: tuple
    start: int
    end: int
    related_populators: tuple
    annotations: tuple


class Prepared:
    """``Prepared(function)``, or ``@Prepared`` over it. Each argument is an integer (a key); a day where the function's
    parameter is annotated ``date``; a list of integers where it is annotated ``list`` (for ``__in``: compiled once for
    each length, a page of a list has at most 50); a list of texts where it is annotated ``list[str]`` (credit codes); a
    page of rows where it is annotated ``slice`` (``rows[page]``, called with ``slice(start, stop)``: Django writes the
    limit and offset into the statement, which takes them as parameters instead). ``optional``: how many of the first
    arguments the statement may leave unread (a user's unit and bureau, which the scope of some roles does not read).

    The queryset: of model objects, ``values()`` (dicts) or ``values_list()`` (tuples); PreparedCount for ``count()``."""

    def __init__(self, build, *, optional=0):
        self._build = build
        self._kinds = [_TEXTS if parameter.annotation == list[str] else parameter.annotation if parameter.annotation in (date, list, slice)
                       else int for parameter in inspect.signature(build).parameters.values()]
        self._arity = len(self._kinds)
        self._optional = optional
        self._compiled = {}

    def __deepcopy__(self, memo):
        """One prepared query, however often what holds it is copied (a filter's queryset is deep-copied with each
        filter set): a copy would compile again, for itself alone."""
        return self

    def __copy__(self):
        return self

    def __call__(self, *values, using=DEFAULT_DB_ALIAS):
        if len(values) != self._arity:
            raise TypeError(f"this prepared query takes {self._arity} values, not {len(values)}")
        values = [self._checked(value, index) for index, value in enumerate(values)]
        lengths = tuple(len(value) for value, kind in zip(values, self._kinds) if kind in _LISTS)
        compiled = self._compiled.get((using, lengths)) or self._compile(using, lengths)
        statement = compiled[0]
        if statement is None:  # a queryset Django knows to be empty (none(), an empty list) asks nothing
            return self._empty()
        params = list(statement.params)
        for position, index, item, write in statement.slots:
            value = values[index] if item is None else values[index][item]
            params[position] = write(value) if write else value
        with connections[using].cursor() as cursor:
            cursor.execute(statement.sql, params)
            return self._result(cursor, compiled[1], using)

    def get(self, *values, using=DEFAULT_DB_ALIAS):
        """The model object the query finds, as ``QuerySet.get`` gives it: its model's DoesNotExist when none."""
        found = self(*values, using=using)
        if not found:
            model = self._build(*values).model  # built only to name what is missing
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        return found[0]

    def _empty(self):
        return []

    def _result(self, cursor, rows, using):
        found = cursor.fetchall()
        if rows.converters:
            found = rows.compiler.apply_converters(found, rows.converters)
        if rows.model is None:
            return [tuple(row[:rows.end]) for row in found]
        if rows.model is dict:
            return [dict(zip(rows.init_list, row)) for row in found]
        made = []
        for row in found:
            instance = rows.model.from_db(using, rows.init_list, row[rows.start:rows.end])
            for populator in rows.related_populators:
                populator.populate(row, instance)
            for name, position in rows.annotations:
                setattr(instance, name, row[position])
            made.append(instance)
        return made

    def _checked(self, value, index):
        kind = self._kinds[index]
        if kind is date:
            if not isinstance(value, date) or isinstance(value, datetime):
                raise TypeError(f"argument {index + 1} of this prepared query is a day, not {value!r}")
            return value
        if kind is list:
            return [int(item) for item in value]
        if kind is slice:
            if (not isinstance(value, slice) or value.step is not None or not isinstance(value.start, int)
                    or not isinstance(value.stop, int) or not 0 <= value.start < value.stop):
                raise TypeError(f"argument {index + 1} of this prepared query is a page of rows (slice(start, stop)), not {value!r}")
            return {"limit": value.stop - value.start, "offset": value.start}
        if kind is _TEXTS:
            if isinstance(value, str) or not all(isinstance(item, str) for item in value):
                raise TypeError(f"argument {index + 1} of this prepared query is a list of texts, not {value!r}")
            return list(value)
        return int(value)

    def _nothing(self, using, lengths):
        """None: the queryset is empty whatever the values (none(), a scope that sees nothing, an empty list). Refused
        when it is empty only with the markers (a marker out of its column's range): it would find nothing, silently."""
        ordinary = [date(2000, 1, 1) if kind is date else [1] * length if kind is list else ["1"] * length if kind is _TEXTS
                    else slice(0, 1) if kind is slice else 1 for kind, length in zip(self._kinds, self._lengths_of(lengths))]
        if self._sends_something(using, ordinary):
            raise ImproperlyConfigured("a value of this prepared query is out of its column's range for the markers: "
                                       "prepared queries take keys, years, days, lists of keys or texts, and pages")
        return None

    def _lengths_of(self, lengths):
        lengths = iter(lengths)
        return [next(lengths) if kind in _LISTS else 0 for kind in self._kinds]

    def _sends_something(self, using, values):
        try:
            self._build(*values).using(using).query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            return False
        return True

    def _markers(self, lengths, run):
        next_int, last_day = _MARKER_RUNS[run]
        lengths, markers = iter(lengths), []
        for index, kind in enumerate(self._kinds):
            if kind is date:
                markers.append(last_day - timedelta(days=index))
            elif kind is list:
                length = next(lengths)
                markers.append(list(range(next_int, next_int - length, -1)))
                next_int -= length
            elif kind is slice:  # a page of rows: Django writes its limit and offset into the statement, as numbers
                offset, limit = _PAGE_MARKERS[run]
                markers.append(slice(offset, offset + limit))
            elif kind is _TEXTS:  # texts no record holds (control characters), numbered as the integers are
                length = next(lengths)
                markers.append([f"\x1fprepared\x1f{number}" for number in range(next_int, next_int - length, -1)])
                next_int -= length
            else:
                markers.append(next_int)
                next_int -= 1
        return markers

    def _compile(self, using, lengths):
        if sum(lengths) > _LONGEST_LIST:
            raise TypeError(f"a prepared query takes lists of at most {_LONGEST_LIST} keys in all")
        first, second = (self._compiled_with(using, lengths, self._markers(lengths, run)) for run in range(len(_MARKER_RUNS)))
        if (first[0] and (first[0].sql, first[0].slots)) != (second[0] and (second[0].sql, second[0].slots)):
            raise ImproperlyConfigured("a constant of this prepared query is the same as one of its markers: "
                                       "pass it as an argument")
        self._compiled[using, lengths] = first
        return first

    def _statement(self, using, markers, sql, params):
        """The statement with the places of the markers among its parameters."""
        # A day is a parameter as it is (PostgreSQL) or written as the backend writes days (SQLite: text).
        write_day = connections[using].ops.adapt_datefield_value
        found = {}
        for index, marker in enumerate(markers):
            if isinstance(marker, list):
                found.update({(type(item), item): (index, position, None) for position, item in enumerate(marker)})
            elif isinstance(marker, date):
                found[date, marker] = (index, None, None)
                found[str, write_day(marker)] = (index, None, write_day)
            elif not isinstance(marker, slice):  # a page is found in the statement's text, below
                found[int, marker] = (index, None, None)
        slots = tuple((position, *found[type(value), value]) for position, value in enumerate(params)
                      if type(value) in (int, str, date) and (type(value), value) in found)
        for index, marker in enumerate(markers):
            if isinstance(marker, slice):  # "… LIMIT <limit> OFFSET <offset>" becomes two parameters
                written = f" LIMIT {marker.stop - marker.start} OFFSET {marker.start}"
                if not sql.endswith(written):
                    raise ImproperlyConfigured("a page of a prepared query is its queryset's last slice (LIMIT … OFFSET … "
                                               "at the end of its statement)")
                sql = sql[:-len(written)] + " LIMIT %s OFFSET %s"
                slots += ((len(params), index, "limit", None), (len(params) + 1, index, "offset", None))
                params = (*params, 0, 0)
        read = {index for _, index, _, _ in slots}
        missing = [index for index in range(self._optional, self._arity) if index not in read and markers[index] != []]
        if missing:
            raise ImproperlyConfigured(f"argument {missing[0] + 1} of a prepared query is not among its statement's "
                                       "parameters (a slice? a value computed from it?)")
        return _Statement(sql, tuple(params), slots)

    def _compiled_with(self, using, lengths, markers):
        queryset = self._build(*markers).using(using)
        if queryset._iterable_class not in (ModelIterable, ValuesIterable, ValuesListIterable) or queryset._prefetch_related_lookups:
            raise ImproperlyConfigured("a prepared query is a queryset of model objects, values() or values_list(), "
                                       "without prefetch_related")
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return self._nothing(using, lengths), None
        select, converters = compiler.select, compiler.get_converters([column for column, _, _ in compiler.select[:compiler.col_count]])
        if queryset._iterable_class is ValuesListIterable:
            rows = _Rows(compiler, converters, None, (), 0, compiler.col_count, (), ())
        elif queryset._iterable_class is ValuesIterable:  # the names as Django's ValuesIterable gives them
            query = queryset.query
            names = tuple(query.selected) if query.selected else (*query.extra_select, *query.values_select, *query.annotation_select)
            rows = _Rows(compiler, converters, dict, names, 0, compiler.col_count, (), ())
        else:
            klass_info = compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            rows = _Rows(
                compiler=compiler, converters=converters, model=klass_info["model"],
                init_list=tuple(column.target.attname for column, _, _ in select[start:end]), start=start, end=end,
                related_populators=tuple(get_related_populators(klass_info, select, using)),
                annotations=tuple((compiler.annotation_col_map or {}).items()),
            )
        return self._statement(using, markers, sql, params), rows


class _Taken(Exception):
    pass


class PreparedCount(Prepared):
    """How many rows a queryset has (``queryset.count()``), prepared the same way: the statement Django would send for
    the count is taken on its way to the database, and not sent (nor logged); each call then sends it with the values."""

    def _empty(self):
        return 0

    def _result(self, cursor, rows, using):
        return cursor.fetchone()[0]

    def _compiled_with(self, using, lengths, markers):
        queryset = self._build(*markers).using(using)
        connection = connections[using]
        sent = []

        def taken(execute, sql, params, many, context):
            sent.append((sql, params or ()))
            raise _Taken

        logged, connection.force_debug_cursor = connection.force_debug_cursor, False
        try:
            with connection.execute_wrapper(taken):
                queryset.count()
        except _Taken:
            pass
        finally:
            connection.force_debug_cursor = logged
        if len(sent) > 1:
            raise ImproperlyConfigured(f"a prepared count is one statement, not {len(sent)}")
        return (self._statement(using, markers, *sent[0]) if sent else self._nothing(using, lengths)), None


def marks(sections):
    """``has_<name>`` annotations, an EXISTS each, for ``sections`` ({name: a function giving the rows of that name,
    filtered on OuterRef}): asked in the query that reads the instance, they cost no round trip of their own, and a
    page then reads only the sections that have rows (has_rows). Only for a page that writes nothing before it reads
    them: a mark says what was there when the instance was read."""
    return {f"has_{name}": Exists(rows()) for name, rows in sections.items()}


# The name of with_total()'s annotation.
TOTAL = "rows_in_all"


def with_total(queryset):
    """``queryset`` with, on each row, how many rows it has in all before any slice (``COUNT(*) OVER ()``): the first
    few rows of a short list and its length in one query (read them with first_and_total). For a dashboard's preview of
    a district's or a liaison's own rows, not for a paged list of the whole city: the database then reads every row in
    full where a count reads an index alone (the municipal list at 10,000 consortia: 21 ms against 1.3 ms)."""
    return queryset.annotate(**{TOTAL: Window(Count("*"))})


def first_and_total(rows):
    """(``rows``, how many in all) of a with_total() query's rows: objects as they are, ``values()`` dicts without the
    count, so that they hold what the list shows only. None shown, none in all, since the rows are the first of the list."""
    if not rows:
        return rows, 0
    first = rows[0]
    if isinstance(first, dict):
        return [{key: value for key, value in row.items() if key != TOTAL} for row in rows], first[TOTAL]
    return rows, getattr(first, TOTAL)


def has_rows(instance, section):
    """Whether ``instance`` has rows of ``section`` as marks() asked, or may have: an instance read without the marks
    has every section read."""
    return getattr(instance, f"has_{section}", True)


def attach(instance, related_name, rows):
    """Give ``instance`` the ``rows`` of its reverse relation ``related_name`` as prefetch_related would: its
    ``instance.<related_name>.all()`` answers from them, and each row's foreign key back to it is the instance itself."""
    manager = getattr(instance, related_name)
    for row in rows:
        manager.field.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache_name = manager.field.remote_field.cache_name
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset


def attach_each(parents, related_name, rows, key):
    """attach() for many parents at once: each of ``parents`` gets the ``rows`` whose ``key`` (a foreign key's attname,
    e.g. "evaluation_id") is its pk, in their order (the rows of a prepared query over the parents' keys)."""
    found = {}
    for row in rows:
        found.setdefault(getattr(row, key), []).append(row)
    for parent in parents:
        attach(parent, related_name, found.get(parent.pk, []))


class _FixedChoices:
    """The mixin of fixed_choices()'s querysets."""

    _prepared = None

    def all(self):
        copy = super().all()
        copy._prepared = self._prepared
        return copy

    def iterator(self, chunk_size=None):
        if self._prepared is None or self.db != DEFAULT_DB_ALIAS:
            return super().iterator(chunk_size=chunk_size)
        return iter(self._prepared())


_FIXED_CLASSES = {}


def fixed_choices(queryset):
    """The queryset of a form field's options that is the same for every request (the active experts, the industry
    fields), for ``ModelChoiceField(queryset=fixed_choices(…))`` or a filter's: its options — which a ModelChoiceField
    reads through ``queryset.iterator()`` — are read by a prepared query, compiled once per process, instead of a query
    built, compiled and read through a server-side cursor on every page that draws the field. ``.all()`` (a form's copy
    of its fields) keeps it prepared; any other change (the field's validation filters it) makes an ordinary queryset,
    so that a value is always checked against the database as Django checks it."""
    cls = type(queryset)
    fixed = _FIXED_CLASSES.get(cls)
    if fixed is None:
        fixed = _FIXED_CLASSES[cls] = type(f"Fixed{cls.__name__}", (_FixedChoices, cls), {})
    prepared = Prepared(lambda: queryset)
    copy = queryset.all()
    copy.__class__ = fixed
    copy._prepared = prepared
    return copy
