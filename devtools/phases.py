"""Where a page's time goes (`manage.py bench --phases`): each phase timed exclusively, that is without
the phases inside it, over requests made by Django's test client as the bench makes them.

Phases: SQL (every statement, through Django's execute_wrapper), template rendering (Django's
Template.render), Markdown (render_markdown), the facet counts' Python (count_facets, its SQL apart),
the facet options (CooperationFilter.facets); "other" is the rest: view, filters, ORM assembly,
middleware. The wrappers are installed for the measurement and removed afterwards.
"""

import contextlib
import statistics
import time
from collections import defaultdict

from django.db import connection
from django.template.backends import django as django_backend

import cooperations.filters
import cooperations.models.cooperation
import lib.markdown
import lib.templatetags.markdown

PHASES = ("sql", "template", "markdown", "facet_counts", "facet_options", "other")


class PhaseTimer:
    def __init__(self):
        self.totals = defaultdict(float)
        self.stack = []

    def timed(self, name, function):
        def wrapper(*args, **kwargs):
            self.stack.append([name, 0.0])
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                _name, inner = self.stack.pop()
                self.totals[name] += elapsed - inner
                if self.stack:
                    self.stack[-1][1] += elapsed

        return wrapper

    def sql(self, execute, sql, params, many, context):
        return self.timed("sql", execute)(sql, params, many, context)

    @contextlib.contextmanager
    def installed(self):
        render_markdown = self.timed("markdown", lib.markdown.render_markdown)
        patches = [
            (django_backend.Template, "render", self.timed("template", django_backend.Template.render)),
            (lib.markdown, "render_markdown", render_markdown),
            (lib.templatetags.markdown, "render_markdown", render_markdown),
            (cooperations.models.cooperation, "render_markdown", render_markdown),
            (
                cooperations.filters,
                "count_facets",
                self.timed("facet_counts", cooperations.filters.count_facets),
            ),
            (
                cooperations.filters.CooperationFilter,
                "facets",
                self.timed("facet_options", cooperations.filters.CooperationFilter.facets),
            ),
        ]
        saved = [(owner, name, getattr(owner, name)) for owner, name, _new in patches]
        for owner, name, new in patches:
            setattr(owner, name, new)
        try:
            with connection.execute_wrapper(self.sql):
                yield self
        finally:
            for owner, name, old in saved:
                setattr(owner, name, old)


def profile(get, urls, rounds):
    """{"median_ms", "cpu_ms", phase: mean ms a request} over `rounds` requests rotating over `urls`."""
    timer = PhaseTimer()
    walls, cpus = [], []
    with timer.installed():
        for n in range(rounds):
            timer.stack.append(["other", 0.0])
            start, start_cpu = time.perf_counter(), time.process_time()
            get(urls[n % len(urls)])
            elapsed = time.perf_counter() - start
            cpus.append(time.process_time() - start_cpu)
            walls.append(elapsed)
            _name, inner = timer.stack.pop()
            timer.totals["other"] += elapsed - inner
    result = {"median_ms": statistics.median(walls) * 1000, "cpu_ms": statistics.median(cpus) * 1000}
    result.update({name: timer.totals[name] / rounds * 1000 for name in PHASES})
    return result
