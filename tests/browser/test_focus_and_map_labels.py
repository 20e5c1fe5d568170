"""What a keyboard or a phone shows: a focus ring that stands out, and overseas map labels large enough
to read on a phone."""

import re

import pytest

from tests.browser.conftest import PHONE
from tests.factories import DepartmentFactory, RegionFactory

pytestmark = pytest.mark.browser

FOCUS = """() => {
  const style = getComputedStyle(document.activeElement);
  return {tag: document.activeElement.tagName, style: style.outlineStyle, width: style.outlineWidth,
          colour: style.outlineColor, page: getComputedStyle(document.documentElement).backgroundColor};
}"""


def channels(colour):
    """(red, green, blue, alpha) of a CSS rgb() or rgba() colour."""
    values = [float(v) for v in re.findall(r"[\d.]+", colour)]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)


def luminance(red, green, blue):
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(colour, background):
    """WCAG contrast ratio of `colour`, laid over `background`."""
    red, green, blue, alpha = channels(colour)
    under = channels(background)[:3]
    shown = [alpha * c + (1 - alpha) * b for c, b in zip((red, green, blue), under, strict=True)]
    lighter, darker = sorted((luminance(*shown), luminance(*under)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(("path", "presses"), [("/", 2), ("/proposer/", 12)])
def test_the_keyboard_focus_ring_is_solid_wide_and_contrasted(page, path, presses):
    page.goto(path)
    for _ in range(presses):
        page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS)
    assert focus["style"] == "solid", focus
    assert float(focus["width"].removesuffix("px")) >= 2, focus
    assert contrast(focus["colour"], focus["page"]) >= 3, focus


@pytest.fixture
def territories(transactional_db):
    brittany = RegionFactory(code="53", name="Bretagne", slug="bretagne")
    DepartmentFactory(code="29", name="Finistère", slug="finistere", region=brittany)
    for code, name, slug, department in (
        ("01", "Guadeloupe", "guadeloupe", "971"),
        ("04", "La Réunion", "la-reunion", "974"),
    ):
        overseas = RegionFactory(code=code, name=name, slug=slug)
        DepartmentFactory(code=department, name=name, slug=slug, region=overseas)


def test_overseas_labels_are_readable_on_a_phone_and_fit_their_boxes(page, territories):
    page.set_viewport_size(PHONE)
    page.goto("/territoires/")
    labels = page.evaluate(
        """() => [...document.querySelectorAll('.map-inset')].map(area => {
          const text = area.querySelector('text'), box = area.querySelector('rect').getBBox();
          const bounds = text.getBBox();
          return {
            name: text.textContent,
            pixels: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
            fits: bounds.x >= box.x && bounds.x + bounds.width <= box.x + box.width
              && bounds.y >= box.y && bounds.y + bounds.height <= box.y + box.height,
          };
        })"""
    )
    assert len(labels) == 4  # two overseas regions, and their departments
    for label in labels:
        assert label["pixels"] >= 12, label
        assert label["fits"], label
