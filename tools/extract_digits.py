"""Maintainer script: write the 8x8 handwritten digits into ``helpers/data_files/digits.npz``.

The course ships the data so that nothing is downloaded at run time and scikit-learn
is not a dependency. Run this once, from the repository root, in an environment that
has scikit-learn (it is only needed here)::

    python -m tools.extract_digits

The data are the 1,797 images scikit-learn ships as ``load_digits`` (a copy of the
test part of the UCI "Optical Recognition of Handwritten Digits" set, CC BY 4.0;
see ``helpers/data_files/README.md``). They are stored as they are: pixels as
``uint8`` counts 0-16, labels as ``uint8`` digits 0-9. The script prints the
SHA-256 of the arrays' bytes (``helpers.data.digits_checksum``), which
``helpers.data.DIGITS_SHA256`` must equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from helpers.data import digits_checksum

OUT = Path(__file__).resolve().parent.parent / "helpers" / "data_files" / "digits.npz"


def main() -> None:
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        sys.exit("this maintainer script needs scikit-learn: pip install scikit-learn")
    bunch = load_digits()
    pixels, target = bunch.data, bunch.target
    if pixels.shape != (1797, 64) or target.shape != (1797,):
        sys.exit(f"unexpected shapes {pixels.shape} and {target.shape}")
    if not (np.array_equal(pixels, np.round(pixels)) and pixels.min() >= 0 and pixels.max() <= 16):
        sys.exit("pixels are not whole counts 0-16")
    images = pixels.astype(np.uint8)
    labels = target.astype(np.uint8)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, images=images, labels=labels)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
    print(f"class counts: {np.bincount(labels).tolist()}")
    print(f"DIGITS_SHA256 = {digits_checksum(images, labels)!r}")


if __name__ == "__main__":
    main()
