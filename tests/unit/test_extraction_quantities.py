"""The quantities stage (streams/extraction/quantities.py): how many forces a deployment names."""

from __future__ import annotations

import pytest
from support.stages import engine


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Russia has sent 1,500 troops to Syria.", (1500, "exact", "troops")),
        ("en", "The United States will deploy about 600 troops to Saudi Arabia.", (600, "around", "troops")),
        ("de", "Nordkorea hat weitere 3.000 Soldaten nach Russland geschickt.", (3000, "exact", "Soldaten")),
        ("de", "Nordkorea hat 3.000 zusätzliche nordkoreanische Soldaten geschickt.", (3000, "exact", "Soldaten")),
        ("en", "Britain sent dozens of troops to Estonia.", None),  # a vague amount has no value
        ("en", "Britain sent 2 ships with many more highly trained troops to Estonia.", None),  # too far from the noun
    ],
)
def test_quantity(lang: str, text: str, expected: tuple[int, str, str] | None) -> None:
    assert engine(lang).quantities.quantity(text, 0, len(text)) == expected


def test_only_the_span_is_read() -> None:
    text = "Russia has sent 1,500 troops to Syria."
    assert engine("en").quantities.quantity(text, 0, text.index("troops") + 3) is None
