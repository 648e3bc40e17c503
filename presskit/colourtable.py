"""RGB to CMYK through a lookup table that LittleCMS fills: the transform's colours within two levels of
255, for a fraction of the transform's work on every pixel of every still.

The table holds what the transform gives at the even levels of each channel, 0, 2 ... 254, and at 255
(129 nodes an axis, 2.1 million colours, filled once per process and transform). A pixel reads two entries:
the nodes at or below its levels, and the nodes one step up on the axes where its level is odd; their mean
is the tetrahedral interpolation at that point, since all its fractions within the cell are equal (one half
or nothing). A level of 255 reads the top node (255) as both.

At most two levels off LittleCMS's own output on any ink, saturated colours included, and exactly
LittleCMS's at the nodes (tests/test_colourtable.py; the measured accuracy and speed are in
benchmarks/README.md, "presskit/colourtable.py").

The table is indexed by the pixel's own RGBX word shifted, r | g << 8 | b << 16 over the node numbers:
it spans 8.4 million words (34 MB of address space), of which only the 2.1 million nodes' pages are ever
written (about 17 MB resident, in small pages). Little-endian machines only (`available`).
"""

from __future__ import annotations

import mmap
import sys

NODES = 129  # nodes an axis: the even levels 0 ... 254, and 255
_HALVES = 0x7F7F7F  # each channel's level // 2, in place in an RGBX word
_ODD = 0x010101  # each channel's odd bit, in place
_TOP = 0x808080  # each channel's top bit, in place
_MEAN_MASK = 0xFEFEFEFE  # a byte-wise mean: (x & y) + (((x ^ y) & 0xFE...) >> 1), rounded down
_BAND = 1 << 18  # pixels looked up at a time (about a megabyte for each temporary array)


def available() -> bool:
    return sys.byteorder == "little"


def fill(transform) -> object:
    """The table of `transform`: a function from an RGB image to a CMYK image of the same size (a LittleCMS
    transform applied). A numpy array of uint32, indexed as described above. Filled a blue level at a time
    (129 x 129 colours each), so that what filling it holds besides the table stays under a megabyte."""
    import numpy as np
    from PIL import Image

    nodes = np.arange(NODES, dtype=np.uint32)
    levels = np.minimum(nodes * 2, 255)
    red_green = (levels[None, :] | levels[:, None] << 8).ravel()  # RGBX words, red fastest
    positions = (nodes[None, :] | nodes[:, None] << 8).ravel()
    # Anonymous memory of its own, in small pages: numpy asks for huge pages (2 MB) for large arrays, which
    # the nodes' rows, 516 bytes in every kilobyte, would all touch (34 MB resident instead of 17).
    table = np.frombuffer(mmap.mmap(-1, (_HALVES + _ODD + 1) * 4), dtype=np.uint32)
    for blue in range(NODES):
        grid = Image.frombytes("RGB", (NODES, NODES), (red_green | levels[blue] << 16).tobytes(), "raw", "RGBX")
        table[positions | blue << 16] = np.frombuffer(transform(grid).tobytes(), dtype=np.uint32)
    return table


def convert(table, im):
    """The RGB image `im` in CMYK through `table` (see fill), a band of rows at a time."""
    import numpy as np
    from PIL import Image

    width, height = im.size
    out = np.empty(width * height, dtype=np.uint32)
    rows = max(1, _BAND // max(1, width))
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        band = np.frombuffer(im.crop((0, top, width, bottom)).tobytes("raw", "RGBX"), dtype=np.uint32)
        top_levels = (((band & _HALVES) + _ODD) & band & _TOP) >> 7  # 1 in the channels at 255
        index = ((band >> 1) & _HALVES) + top_levels
        lower = table[index]
        index += (band & _ODD) ^ top_levels
        upper = table[index]
        out[top * width : bottom * width] = (lower & upper) + (((lower ^ upper) & _MEAN_MASK) >> 1)
    return Image.frombuffer("CMYK", im.size, out, "raw", "CMYK", 0, 1)
