"""Bar charts drawn server-side: each chart is a table whose rows carry an SVG bar, so the figures are
read as a table by screen readers and seen as a chart by everyone else."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    url: str
    width: str  # percentage of the longest bar, formatted for an SVG attribute
    share: int  # percentage of all published fiches


@dataclass(frozen=True)
class BarChart:
    key: str
    heading: str  # short, for the page's outline: "Par région"
    title: str  # the table's caption: "Coopérations publiées par région"
    label_header: str
    bars: list
    note: str = ""


def bar_chart(key, heading, title, label_header, rows, *, total, note=""):
    """rows: (label, count, url) in the order to show."""
    rows = list(rows)
    longest = max((count for _, count, _ in rows), default=0) or 1
    bars = [
        Bar(
            label=str(label),
            count=count,
            url=url,
            width=f"{100 * count / longest:.1f}",
            share=round(100 * count / total) if total else 0,
        )
        for label, count, url in rows
    ]
    return BarChart(key=key, heading=heading, title=title, label_header=label_header, bars=bars, note=note)
