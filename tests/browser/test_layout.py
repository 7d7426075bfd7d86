"""Every page fits the screen: nothing scrolls sideways on a phone, no column is cut on a laptop.

On a 375 pixel wide phone a page may not scroll sideways; a wide table scrolls inside its own
box instead, as GOV.UK services do. At 1280 pixels every column of every table is in view.
The pages, people and data are the accessibility checks' (test_accessibility.py).
"""

import pytest

from .test_accessibility import SCREENS, server, tab_for, world  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 740}
LAPTOP = {"width": 1280, "height": 800}

#: What sticks out past the right of the window, outside any box that scrolls on its own.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsOnItsOwn = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  const sticking = [...document.body.querySelectorAll("*")]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .filter((element) => !scrollsOnItsOwn(element));
  // The outermost of them: what is inside goes with it.
  return sticking
    .filter((element) => !sticking.includes(element.parentElement))
    .map((element) => element.outerHTML.slice(0, 160));
}"""

#: Table cells not wholly in view: past the window, or past a box that clips or scrolls them.
CUT_CELLS = """() => {
  const cut = [];
  for (const cell of document.querySelectorAll("th, td")) {
    const right = cell.getBoundingClientRect().right;
    let limit = document.documentElement.clientWidth;
    for (let box = cell.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") {
        limit = Math.min(limit, box.getBoundingClientRect().right);
      }
    }
    if (right > limit + 1) cut.push(cell.textContent.trim().slice(0, 60));
  }
  return cut;
}"""


def screens():
    for screen in SCREENS:
        # The first role and, where the Home Office sees it too, the last: their pages differ.
        for role in dict.fromkeys((screen.roles[0], screen.roles[-1])):
            yield pytest.param(screen, role, id=f"{role}: {screen.name}")


def open_page(tab_for, world, screen, role, viewport):  # noqa: F811
    page = tab_for(role, viewport)
    response = page.goto(world.path(screen))
    assert response.status == screen.status, f"{page.url} answered {response.status}"
    return page


@pytest.mark.parametrize(("screen", "role"), list(screens()))
def test_no_page_scrolls_sideways_on_a_375px_phone(tab_for, world, screen, role):  # noqa: F811
    page = open_page(tab_for, world, screen, role, PHONE)
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, f"{page.url} scrolls sideways at 375px:\n" + "\n".join(overflowing)
    # Also what sticks out of its box without being inside it (an absolutely placed element).
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"{page.url} is {page_width}px wide at 375px"


@pytest.mark.parametrize(("screen", "role"), list(screens()))
def test_no_table_column_is_cut_off_at_1280px(tab_for, world, screen, role):  # noqa: F811
    page = open_page(tab_for, world, screen, role, LAPTOP)
    cut = page.evaluate(CUT_CELLS)
    assert not cut, f"{page.url} cuts off table cells at 1280px: {cut}"


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("path", ["/overview/", "/funding/"])
def test_each_chart_is_drawn_with_a_height(tab_for, server, path, viewport):  # noqa: F811
    page = tab_for("reviewer", viewport)
    page.goto(path)
    heights = page.locator("canvas[data-chart]").evaluate_all(
        "canvases => canvases.map((canvas) => canvas.getBoundingClientRect().height)"
    )
    assert heights, f"{path} has no chart"
    assert min(heights) >= 200, f"{path}'s charts are {heights} pixels high"


def test_the_overviews_headline_figures_are_in_the_govuk_font(tab_for, server):  # noqa: F811
    page = tab_for("reviewer")
    page.goto("/overview/")
    font = "element => getComputedStyle(element).fontFamily"
    body_font = page.locator(".govuk-body").first.evaluate(font)
    assert "sans-serif" in body_font
    for figure in page.locator(".app-figure").all():
        assert figure.evaluate(font) == body_font, figure.inner_text()
