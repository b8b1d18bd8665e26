"""Drawing a licence plate face with OpenCV: state colours, header, characters, slogan.

The look is close enough to each state's current plate that a reviewer recognises it, but it is
drawn from rectangles and Hershey fonts, not copied artwork.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

FACE_W, FACE_H = 256, 128  # 12 x 6 inch plate at about 21 px per inch
_CHAR_BOX = (16, 36, FACE_W - 16, 106)  # x0, y0, x1, y1 of the registration number


@dataclass(frozen=True)
class PlateStyle:
    top: tuple[int, int, int]  # background BGR at the top, blended to ``bottom``
    bottom: tuple[int, int, int]
    header: str
    header_color: tuple[int, int, int]
    script: bool  # header in a script face, as California and Washington print it
    chars: tuple[int, int, int]
    footer: str
    footer_color: tuple[int, int, int]


STYLES: dict[str, PlateStyle] = {
    "CA": PlateStyle((250, 250, 250), (242, 242, 238), "California", (40, 30, 200), True,
                     (110, 40, 25), "dmv.ca.gov", (110, 40, 25)),
    "AZ": PlateStyle((205, 228, 246), (140, 185, 236), "ARIZONA", (40, 40, 120), False,
                     (35, 30, 95), "GRAND CANYON STATE", (40, 40, 120)),
    "NV": PlateStyle((248, 238, 226), (228, 196, 160), "Nevada", (140, 60, 20), True,
                     (95, 40, 10), "HOME MEANS NEVADA", (140, 60, 20)),
    "TX": PlateStyle((238, 238, 238), (208, 214, 220), "TEXAS", (20, 20, 20), False,
                     (20, 20, 20), "THE LONE STAR STATE", (20, 20, 20)),
    "OR": PlateStyle((246, 246, 240), (196, 214, 188), "OREGON", (120, 60, 20), False,
                     (110, 50, 20), "PACIFIC WONDERLAND", (60, 90, 30)),
    "WA": PlateStyle((250, 250, 250), (236, 226, 214), "Washington", (130, 60, 10), True,
                     (110, 40, 10), "EVERGREEN STATE", (130, 60, 10)),
}

_base_cache: dict[tuple[str, bool], np.ndarray] = {}


def _centered_text(img: np.ndarray, text: str, y: int, font: int, scale: float,
                   color: tuple[int, int, int], thickness: int) -> None:
    (tw, _), _ = cv2.getTextSize(text, font, scale, thickness)
    cv2.putText(img, text, ((img.shape[1] - tw) // 2, y), font, scale, color, thickness,
                cv2.LINE_AA)


def _base(state: str, commercial: bool) -> np.ndarray:
    """Blank plate of a state (no number), cached: it is the same for every plate."""
    key = (state, commercial)
    if key not in _base_cache:
        st = STYLES.get(state, STYLES["CA"])
        t = np.linspace(0.0, 1.0, FACE_H, dtype=np.float32)[:, None, None]
        grad = (1 - t) * np.array(st.top, np.float32) + t * np.array(st.bottom, np.float32)
        face = np.repeat(grad, FACE_W, axis=1).astype(np.uint8)
        if state == "OR":  # a row of fir trees behind the number
            for x in range(8, FACE_W, 22):
                pts = np.array([[x, 118], [x + 11, 78], [x + 22, 118]], np.int32)
                cv2.fillPoly(face, [pts], (150, 185, 140), cv2.LINE_AA)
        cv2.rectangle(face, (2, 2), (FACE_W - 3, FACE_H - 3), (90, 90, 90), 2, cv2.LINE_AA)
        for x in (60, FACE_W - 60):
            cv2.circle(face, (x, 12), 4, (150, 150, 150), -1, cv2.LINE_AA)
        font = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX if st.script else cv2.FONT_HERSHEY_DUPLEX
        _centered_text(face, st.header, 30, font, 0.95 if st.script else 0.8,
                       st.header_color, 2)
        footer = "COMMERCIAL" if commercial else st.footer
        _centered_text(face, footer, 121, cv2.FONT_HERSHEY_SIMPLEX, 0.42, st.footer_color, 1)
        cv2.rectangle(face, (FACE_W - 40, 8), (FACE_W - 12, 24), (40, 160, 230), -1)  # sticker
        _base_cache[key] = face
    return _base_cache[key]


def plate_face(text: str, state: str, commercial: bool = False) -> np.ndarray:
    """A FACE_H x FACE_W BGR plate showing ``text``. Characters are drawn once in a Hershey
    face, then stretched into the character box, so every plate has the same tall, even look."""
    st = STYLES.get(state, STYLES["CA"])
    face = _base(state, commercial).copy()
    font, scale, thick = cv2.FONT_HERSHEY_DUPLEX, 2.0, 5
    (tw, th), base = cv2.getTextSize(text, font, scale, thick)
    mask: np.ndarray = np.zeros((th + base + 8, tw + 8), np.uint8)
    cv2.putText(mask, text, (4, th + 4), font, scale, 255, thick, cv2.LINE_AA)
    mask = mask[: th + 10]  # drop the descender band: plates have no descenders
    x0, y0, x1, y1 = _CHAR_BOX
    box_w = min(x1 - x0, 34 * len(text))
    mask = cv2.resize(mask, (box_w, y1 - y0), interpolation=cv2.INTER_AREA)
    left = x0 + (x1 - x0 - box_w) // 2
    roi = face[y0:y1, left : left + box_w]
    m3 = cv2.merge([mask, mask, mask])
    ink = np.empty_like(roi)
    ink[:] = st.chars
    # Antialiased edges: roi * (1 - a) + ink * a, in saturating 8-bit arithmetic.
    roi[:] = cv2.add(cv2.multiply(roi, 255 - m3, scale=1 / 255),
                     cv2.multiply(ink, m3, scale=1 / 255))
    return face
