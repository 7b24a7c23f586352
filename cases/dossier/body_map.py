"""The body map (lichaamskaart): the fixed list of places on a child's body, and the
outline they are drawn on.

Staff describe an injury and never photograph a child's body (DOMAIN.md, "The body"):
each mark is data (a place from this list, a kind, a size, a colour, a shape and what was
said about it), and the outline only shows where. The outline has a child's proportions
(a head of about a fifth of the height, short limbs) and is drawn as inline SVG, in the
page and in the PDF alike, so it needs no file and fetches nothing.

Left and right are always the child's own: seen from the front, the child's left arm is
on the right of the picture; seen from the back, on the left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FRONT, BACK = "front", "back"
VIEW_LABELS = {FRONT: _("front of the body"), BACK: _("back of the body")}
# Where each view's centre line lies in the drawing (viewBox 0 0 WIDTH HEIGHT).
VIEW_X = {FRONT: 100, BACK: 300}
WIDTH, HEIGHT = 400, 345

# The parts of the outline, for the child's left side seen from the front (x > 0 is the
# picture's right), in units of the drawing: ("rect", x, y, width, height, corner) or
# ("ellipse", cx, cy, rx, ry). A part without side is drawn around the centre line.
GEOMETRY: dict[str, tuple] = {
    "head": ("ellipse", 0, 52, 25, 29),
    "ear": ("ellipse", 27, 54, 5, 9),
    "neck": ("rect", -9, 79, 18, 13, 3),
    "chest": ("rect", -31, 90, 62, 50, 10),
    "belly": ("rect", -30, 140, 60, 40, 4),
    "groin": ("rect", -30, 180, 60, 24, 9),
    "upper_arm": ("rect", 34, 93, 17, 58, 8),
    "forearm": ("rect", 36, 151, 14, 54, 7),
    "hand": ("ellipse", 43, 215, 8, 11),
    "thigh": ("rect", 2, 203, 26, 60, 9),
    "lower_leg": ("rect", 4, 263, 21, 54, 8),
    "foot": ("ellipse", 15, 324, 12, 7),
}


@dataclass(frozen=True)
class Region:
    code: str
    label: str
    view: str
    part: str
    side: str  # "left", "right" or "" (the child's own side)

    @property
    def shape(self) -> dict:
        """The SVG element of this region: its tag and attributes, in the drawing's units."""
        kind, *numbers = GEOMETRY[self.part]
        # The child's left is on the picture's right from the front, on its left from the
        # back; a part on the centre line is never mirrored.
        on_picture_left = (self.side == "right") if self.view == FRONT else (self.side == "left")
        mirror = -1 if on_picture_left else 1
        centre = VIEW_X[self.view]
        if kind == "ellipse":
            cx, cy, rx, ry = numbers
            return {"tag": "ellipse", "cx": centre + mirror * cx, "cy": cy, "rx": rx, "ry": ry}
        x, y, width, height, corner = numbers
        left = x if mirror == 1 else -x - width
        return {
            "tag": "rect",
            "x": centre + left,
            "y": y,
            "width": width,
            "height": height,
            "rx": corner,
        }

    @property
    def centre(self) -> tuple[float, float]:
        shape = self.shape
        if shape["tag"] == "ellipse":
            return shape["cx"], shape["cy"]
        return shape["x"] + shape["width"] / 2, shape["y"] + shape["height"] / 2


def _sided(view: str, part: str, left: str, right: str) -> list[Region]:
    return [
        Region(f"{view}.{part}.left", left, view, part, "left"),
        Region(f"{view}.{part}.right", right, view, part, "right"),
    ]


# The fixed list, head to toe, front then back. Codes are stored; never rename one.
REGIONS: list[Region] = [
    Region("front.head", _("face and forehead"), FRONT, "head", ""),
    *_sided(FRONT, "ear", _("left ear"), _("right ear")),
    Region("front.neck", _("throat, front of the neck"), FRONT, "neck", ""),
    Region("front.chest", _("chest"), FRONT, "chest", ""),
    Region("front.belly", _("belly"), FRONT, "belly", ""),
    Region("front.groin", _("lower belly and genital area"), FRONT, "groin", ""),
    *_sided(FRONT, "upper_arm", _("left upper arm, front"), _("right upper arm, front")),
    *_sided(FRONT, "forearm", _("left forearm, front"), _("right forearm, front")),
    *_sided(FRONT, "hand", _("left hand, palm"), _("right hand, palm")),
    *_sided(FRONT, "thigh", _("left thigh, front"), _("right thigh, front")),
    *_sided(FRONT, "lower_leg", _("left knee and shin"), _("right knee and shin")),
    *_sided(FRONT, "foot", _("left foot, top"), _("right foot, top")),
    Region("back.head", _("back of the head"), BACK, "head", ""),
    Region("back.neck", _("nape of the neck"), BACK, "neck", ""),
    Region("back.chest", _("upper back and shoulder blades"), BACK, "chest", ""),
    Region("back.belly", _("lower back"), BACK, "belly", ""),
    Region("back.groin", _("buttocks"), BACK, "groin", ""),
    *_sided(BACK, "upper_arm", _("left upper arm, back"), _("right upper arm, back")),
    *_sided(BACK, "forearm", _("left forearm, back"), _("right forearm, back")),
    *_sided(BACK, "hand", _("left hand, back of the hand"), _("right hand, back of the hand")),
    *_sided(BACK, "thigh", _("left thigh, back"), _("right thigh, back")),
    *_sided(
        BACK, "lower_leg", _("left calf and back of the knee"), _("right calf and back of the knee")
    ),
    *_sided(BACK, "foot", _("left foot, sole"), _("right foot, sole")),
]
BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}


def region_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For a select: the regions grouped by view (an optgroup per side of the body)."""
    return [
        (VIEW_LABELS[view], [(r.code, r.label) for r in REGIONS if r.view == view])
        for view in (FRONT, BACK)
    ]


def flat_choices() -> list[tuple[str, str]]:
    return [(region.code, region.label) for region in REGIONS]


def region_label(code: str) -> str:
    region = BY_CODE.get(code)
    return str(region.label) if region else code


SIDE_LETTER_X = 64

# Several marks on one region sit one beside the other along its longer side, not on top
# of each other: 0, -1, +1, -2, +2 steps from its centre.
MARK_STEP = 16


def _offset(region: Region, index: int) -> tuple[float, float]:
    steps = (index + 1) // 2 * (-1 if index % 2 else 1)
    shape = region.shape
    tall = (shape.get("height") or 2 * shape["ry"]) >= (shape.get("width") or 2 * shape["rx"])
    return (0, steps * MARK_STEP) if tall else (steps * MARK_STEP, 0)


@dataclass(frozen=True)
class PlacedMark:
    number: int
    x: float
    y: float


def drawing(numbered_regions: Iterable[tuple[int, str]] = ()) -> dict:
    """What the outline template draws: every region's shape (with its view's label) and,
    for each (number, region code), a numbered dot on that region."""
    numbered_regions = list(numbered_regions)
    placed: list[PlacedMark] = []
    used: dict[str, int] = {}
    for number, code in numbered_regions:
        region = BY_CODE.get(code)
        if region is None:
            continue
        x, y = region.centre
        dx, dy = _offset(region, used.get(code, 0))
        used[code] = used.get(code, 0) + 1
        placed.append(PlacedMark(number, x + dx, y + dy))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "views": [
            {"label": VIEW_LABELS[view], "x": VIEW_X[view], "view": view} for view in (FRONT, BACK)
        ],
        # The child's own right (R) and left (L), beside each view's shoulders.
        "sides": [
            (VIEW_X[FRONT] - SIDE_LETTER_X, "R"),
            (VIEW_X[FRONT] + SIDE_LETTER_X, "L"),
            (VIEW_X[BACK] - SIDE_LETTER_X, "L"),
            (VIEW_X[BACK] + SIDE_LETTER_X, "R"),
        ],
        "regions": [{"region": region, **region.shape} for region in REGIONS],
        "marks": placed,
        "chosen": {code for _number, code in numbered_regions if code in BY_CODE},
    }
