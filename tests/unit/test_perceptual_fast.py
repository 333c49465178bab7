"""The fast `image_hashes` gives the very hashes of the plain reference on images of every kind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from regional.detection.perceptual import image_hashes, image_hashes_reference

PIL = pytest.importorskip("PIL.Image")


def shapes(seed: int, size: int) -> np.ndarray:
    """A grey picture of a few discs (like the generated views), `size` pixels square."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    img = np.full((size, size), int(rng.integers(150, 250)), dtype=np.uint8)
    for _ in range(int(rng.integers(1, 6))):
        cy, cx, r = rng.integers(0, size), rng.integers(0, size), rng.integers(2, max(3, size // 3))
        img[((yy - cy) ** 2 + (xx - cx) ** 2) <= r * r] = int(rng.integers(0, 256))
    return img


def pictures(tmp_path: Path) -> list[Path]:
    """Grey, colour, alpha, palette, bilevel, 16-bit and JPEG files of many sizes, noisy, flat and symmetric."""
    out = []
    rng = np.random.default_rng(5)
    for k in range(60):
        size = int(rng.choice([8, 31, 32, 33, 64, 97, 200]))
        grey = shapes(k, size)
        if k % 7 == 0:
            grey = rng.integers(0, 256, (size, size), dtype=np.uint8)  # noise
        elif k % 7 == 1:
            grey = np.full((size, size), 128, dtype=np.uint8)  # flat: every AC coefficient about 0
        elif k % 7 == 2:
            grey = np.maximum(grey, grey[::-1, ::-1]).astype(np.uint8)  # symmetric: exact ties among coefficients
        colour = np.stack([grey, np.roll(grey, 3, axis=0), 255 - grey], axis=-1)
        for mode, image in (("L", PIL.fromarray(grey, mode="L")), ("RGB", PIL.fromarray(colour, mode="RGB")),
                            ("RGBA", PIL.fromarray(colour, mode="RGB").convert("RGBA")),
                            ("P", PIL.fromarray(colour, mode="RGB").convert("P")),
                            ("1", PIL.fromarray(grey, mode="L").convert("1")),
                            ("LA", PIL.fromarray(grey, mode="L").convert("LA")),
                            ("I;16", PIL.fromarray(grey.astype(np.uint16) * 257))):
            path = tmp_path / f"{k}-{mode.replace(';', '')}.png"
            image.save(path)
            out.append(path)
        path = tmp_path / f"{k}.jpg"
        PIL.fromarray(colour, mode="RGB").save(path, quality=80)
        out.append(path)
    return out


def test_fast_hashes_equal_the_reference_on_every_kind_of_image(tmp_path: Path) -> None:
    paths = pictures(tmp_path)
    got = [image_hashes(p) for p in paths]
    want = [image_hashes_reference(p) for p in paths]
    assert got == want
    assert len(set(want)) > len(paths) // 2  # the pictures differ, so the hashes are not trivially equal


def test_fast_hashes_of_an_unreadable_file_raise_os_error(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    with pytest.raises(OSError):
        image_hashes(tmp_path / "bad.png")
