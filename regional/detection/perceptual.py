"""Perceptual image hashes (dHash and pHash, 64 bits each) with numpy and Pillow.

dHash: grey, resize to 9x8, one bit per horizontal gradient sign. pHash: grey, resize to
32x32, 2-D DCT, the 8x8 lowest frequencies (DC left out of the median) above their median.
Both follow Krawetz's "Looks like it" descriptions; the Hamming distance between two hashes
is the dissimilarity (0 identical, about 32 unrelated). Pillow is imported on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt


@functools.cache
def _dct_matrix(n: int = 32) -> npt.NDArray[np.float64]:
    """Orthonormal DCT-II matrix of size n."""
    k = np.arange(n).reshape(-1, 1)
    i = np.arange(n).reshape(1, -1)
    m = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


def _bits_to_int(bits: npt.NDArray[np.bool_]) -> int:
    """The bits (row by row, first bit most significant) as one integer, packed in C."""
    flat = np.ravel(bits).astype(bool)
    pad = -len(flat) % 8  # left-pad to whole bytes: leading zero bits change nothing
    if pad:
        flat = np.concatenate((np.zeros(pad, dtype=bool), flat))
    return int.from_bytes(np.packbits(flat).tobytes(), "big")


def dhash_pixels(pixels: npt.NDArray[np.float64]) -> int:
    """dHash of an 8-row x 9-column grey array."""
    return _bits_to_int(pixels[:, 1:] > pixels[:, :-1])


def phash_pixels(pixels: npt.NDArray[np.float64]) -> int:
    """pHash of a 32x32 grey array."""
    d = _dct_matrix(32)
    low = (d @ pixels @ d.T)[:8, :8]
    median = np.median(low.ravel()[1:])
    return _bits_to_int(low > median)


def image_hashes(path: Path) -> tuple[int, int]:
    """(dHash, pHash) of an image file, decoded once; raises OSError when it cannot be read.

    The same hashes as `dhash_pixels`/`phash_pixels` on `np.asarray` of the resized images, with less per-image
    work: a grey image is not copied by `convert`, pixels are read with `frombuffer`, the dHash compares the bytes
    themselves, the median of 63 values is the middle one of a sort, and 64 bits are packed in one call.
    """
    from PIL import Image

    try:
        with Image.open(path) as img:
            grey = img if img.mode == "L" else img.convert("L")
            small = grey.resize((32, 32), Image.Resampling.LANCZOS)
    except OSError:
        raise
    except Exception as exc:  # Pillow raises various errors on corrupt files
        raise OSError(f"cannot read image {path}: {exc}") from exc
    tiny = np.frombuffer(small.resize((9, 8), Image.Resampling.BOX).tobytes(), dtype=np.uint8).reshape(8, 9)
    dhash = int.from_bytes(np.packbits(tiny[:, 1:] > tiny[:, :-1]).tobytes(), "big")
    d = _dct_matrix(32)
    low = (d @ np.frombuffer(small.tobytes(), dtype=np.uint8).reshape(32, 32).astype(np.float64) @ d.T)[:8, :8]
    ac = low.ravel()[1:]
    median = np.sort(ac)[len(ac) // 2]  # 63 values: np.median's result is the middle one
    return dhash, int.from_bytes(np.packbits(low > median).tobytes(), "big")


def image_hashes_reference(path: Path) -> tuple[int, int]:
    """`image_hashes` written plainly (Pillow arrays, `np.median`): what the fast path is tested against."""
    from PIL import Image

    with Image.open(path) as img:
        small = img.convert("L").resize((32, 32), Image.Resampling.LANCZOS)
    tiny = np.asarray(small.resize((9, 8), Image.Resampling.BOX), dtype=np.float64)
    return dhash_pixels(tiny), phash_pixels(np.asarray(small, dtype=np.float64))


def stored_hashes(images: Sequence[str], root: Path | None = None) -> list[str | None]:
    """Each image's (dHash, pHash) as 32 hex digits for a listing's stored record, None where it cannot be read
    (a remote URL, a missing or corrupt file); relative paths are taken from `root` (else the working directory)."""
    out: list[str | None] = []
    for rel in images:
        path = Path(rel)
        if "://" in rel:
            out.append(None)
            continue
        try:
            d, p = image_hashes(path if path.is_absolute() or root is None else root / path)
        except OSError:
            out.append(None)
            continue
        out.append(f"{d:016x}{p:016x}")
    return out


def parse_stored(stored: Sequence[str | None] | None, count: int) -> tuple[tuple[int, int] | None, ...]:
    """`stored_hashes`' form back as (dHash, pHash) pairs; () unless there is one well-formed entry per image."""
    if not stored or len(stored) != count:
        return ()
    out: list[tuple[int, int] | None] = []
    for item in stored:
        if item is None:
            out.append(None)
        elif isinstance(item, str) and len(item) == 32:
            try:
                out.append((int(item[:16], 16), int(item[16:], 16)))
            except ValueError:
                return ()
        else:
            return ()
    return tuple(out)


def hamming(a: int, b: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Hamming distance from one 64-bit hash to each of an array of them."""
    return np.bitwise_count(np.bitwise_xor(b, np.uint64(a))).astype(np.int64)
