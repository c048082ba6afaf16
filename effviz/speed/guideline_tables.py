"""ShuffleNet v2's Tables 1-4 as published: the speed of every guideline set-up on the paper's GPU and ARM.

Ma, Zhang, Zheng and Sun, "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design", ECCV 2018
(arXiv:1807.11164), Section 2. The paper's platforms (Sec. 2): a GTX 1080Ti with CUDNN 7.0 (benchmark mode on),
and a Snapdragon 810 ARM CPU with the authors' Neon code on a single thread. Speeds are as printed: GPU in
batches per second, ARM in images per second; higher is faster. Each column is one width of the same set-ups
(Tables 1-2: "(c1, c2) for ×1", then ×2 and ×4 the widths; Tables 3-4: the reference width c).

Where these numbers come from. The PDF was not at hand. They were transcribed from two independent text copies
of the paper stored in the search tool's index: an HTML conversion of the arXiv version that keeps the column
headers and units (index file 70327696908), and a bilingual (English/Chinese) copy that keeps the captions
(index file 37920262143). Every number below is the same in both. Neither copy has page numbers, so the page is
not given: the tables are in Sec. 2, one per guideline, next to the text quoted in CLAIMS. Tables 2-4 print
their ARM columns under the header "CPU (Images/sec.)"; the text calls the platform ARM, and so do we.

Kept free of torch; tests check that effviz's set-ups have the widths printed here."""
from __future__ import annotations

from dataclasses import dataclass

PAPER = "Ma et al., ShuffleNet V2 (ECCV 2018; arXiv:1807.11164), Sec. 2"
SOURCE_NOTE = ("transcribed from two independent text copies of the paper (the PDF was not at hand); "
               "page not given")

# The paper's own sentences that state each result, quoted from the same copies (Sec. 2).
CLAIMS = {
    "g1": "It is clear that when c1 : c2 is approaching 1 : 1, the MAC becomes smaller and the network "
          "evaluation speed is faster.",
    "g2": "For example, using 8 groups is more than two times slower than using 1 group (standard dense "
          "convolution) on GPU and up to 30% slower on ARM.",
    "g3": "Results in Table 3 show that fragmentation reduces the speed significantly on GPU, e.g. 4-fragment "
          "structure is 3× slower than 1-fragment. On ARM, the speed reduction is relatively small.",
    "g4": "We observe around 20% speedup is obtained on both GPU and ARM, after ReLU and shortcut are removed.",
}

PLATFORMS = ("gpu", "arm")
UNITS = {"gpu": "batches/s", "arm": "images/s"}


@dataclass(frozen=True)
class Column:
    """One printed column: a platform at one width, the speed of every set-up in the table's row order."""

    platform: str          # "gpu" or "arm"
    header: str            # as printed, e.g. "×2" or "c=128"
    channels: int          # the reference width c of this column (the first set-up's channels)
    speeds: tuple[float, ...]

    @property
    def unit(self) -> str:
        return UNITS[self.platform]

    def relative_time(self) -> list[float]:
        """Each set-up's time relative to the first (speed of the first / speed of this one)."""
        return [self.speeds[0] / s for s in self.speeds]


@dataclass(frozen=True)
class Table:
    guideline: str
    number: int
    caption: str
    rows: tuple[str, ...]      # row labels as printed
    columns: tuple[Column, ...]
    # Widths printed per row for the ×1 columns, per platform (Tables 1-2 only): G1 (c1, c2), G2 c.
    widths: dict[str, tuple] | None = None

    @property
    def source(self) -> str:
        return f"{PAPER}, Table {self.number}"

    def column(self, platform: str, channels: int) -> Column | None:
        """The printed column for `platform` whose reference width is `channels`, or None if the paper has none."""
        return next((c for c in self.columns if c.platform == platform and c.channels == channels), None)


def _columns(platform: str, headers: tuple[str, ...], widths: tuple[int, ...],
             rows: tuple[tuple[float, ...], ...]) -> tuple[Column, ...]:
    """Columns from a printed block of rows (one row per set-up, one value per header)."""
    return tuple(Column(platform, h, c, tuple(r[j] for r in rows))
                 for j, (h, c) in enumerate(zip(headers, widths, strict=True)))


# Table 1 (G1). Rows 1:1, 1:2, 1:6, 1:12; columns ×1, ×2, ×4 of the widths printed for ×1.
# GPU widths for ×1: (128,128) (90,180) (52,312) (36,432); ARM: (32,32) (22,44) (13,78) (9,108).
_T1_GPU = ((1480, 723, 232), (1296, 586, 206), (876, 489, 189), (748, 392, 163))
_T1_ARM = ((76.2, 21.7, 5.3), (72.9, 20.5, 5.1), (69.1, 17.9, 4.6), (57.6, 15.1, 4.4))
# Table 2 (G2). Rows g = 1, 2, 4, 8; GPU c for ×1: 128 180 256 360; ARM c for ×1: 64 90 128 180.
_T2_GPU = ((2451, 1289, 437), (1725, 873, 341), (1026, 644, 338), (634, 445, 230))
_T2_ARM = ((40.0, 10.2, 2.3), (35.0, 9.5, 2.2), (32.9, 8.7, 2.1), (27.8, 7.5, 1.8))
# Table 3 (G3). Rows 1-fragment, 2-fragment-series, 4-fragment-series, 2-fragment-parallel, 4-fragment-parallel.
_T3_GPU = ((2446, 1274, 434), (1790, 909, 336), (752, 745, 349), (1537, 803, 320), (691, 572, 292))
_T3_ARM = ((40.2, 10.1, 2.3), (38.6, 10.1, 2.2), (38.4, 10.1, 2.3), (33.4, 9.1, 2.2), (35.0, 8.4, 2.1))
# Table 4 (G4). Rows (ReLU, shortcut) = (yes, yes), (yes, no), (no, yes), (no, no); c = 32, 64, 128 on both.
_T4_GPU = ((2427, 2066, 1436), (2647, 2256, 1735), (2672, 2121, 1458), (2842, 2376, 1782))
_T4_ARM = ((56.7, 16.9, 5.0), (61.9, 18.8, 5.2), (57.3, 18.2, 5.1), (66.3, 20.2, 5.4))

_MULT = ("×1", "×2", "×4")

TABLES: dict[str, Table] = {
    "g1": Table(
        "g1", 1, "Validation experiment for Guideline 1. Four different ratios of number of input/output channels "
                 "(c1 and c2) are tested, while the total FLOPs under the four ratios is fixed by varying the "
                 "number of channels. Input image size is 56 × 56.",
        ("1:1", "1:2", "1:6", "1:12"),
        _columns("gpu", _MULT, (128, 256, 512), _T1_GPU) + _columns("arm", _MULT, (32, 64, 128), _T1_ARM),
        widths={"gpu": ((128, 128), (90, 180), (52, 312), (36, 432)),
                "arm": ((32, 32), (22, 44), (13, 78), (9, 108))}),
    "g2": Table(
        "g2", 2, "Validation experiment for Guideline 2. Four values of group number g are tested, while the "
                 "total FLOPs under the four values is fixed by varying the total channel number c. Input image "
                 "size is 56 × 56.",
        ("g=1", "g=2", "g=4", "g=8"),
        _columns("gpu", _MULT, (128, 256, 512), _T2_GPU) + _columns("arm", _MULT, (64, 128, 256), _T2_ARM),
        widths={"gpu": (128, 180, 256, 360), "arm": (64, 90, 128, 180)}),
    "g3": Table(
        "g3", 3, "Validation experiment for Guideline 3. c denotes the number of channels for 1-fragment. The "
                 "channel number in other fragmented structures is adjusted so that the FLOPs is the same as "
                 "1-fragment. Input image size is 56 × 56.",
        ("1-fragment", "2-fragment-series", "4-fragment-series", "2-fragment-parallel", "4-fragment-parallel"),
        _columns("gpu", ("c=128", "c=256", "c=512"), (128, 256, 512), _T3_GPU)
        + _columns("arm", ("c=64", "c=128", "c=256"), (64, 128, 256), _T3_ARM)),
    "g4": Table(
        "g4", 4, "Validation experiment for Guideline 4. The ReLU and shortcut operations are removed from the "
                 "\"bottleneck\" unit, separately. c is the number of channels in unit. The unit is stacked "
                 "repeatedly for 10 times to benchmark the speed.",
        ("ReLU yes, shortcut yes", "ReLU yes, shortcut no", "ReLU no, shortcut yes", "ReLU no, shortcut no"),
        _columns("gpu", ("c=32", "c=64", "c=128"), (32, 64, 128), _T4_GPU)
        + _columns("arm", ("c=32", "c=64", "c=128"), (32, 64, 128), _T4_ARM)),
}


def table(name: str) -> Table:
    if name not in TABLES:
        raise ValueError(f"guideline must be one of {', '.join(TABLES)}, got {name!r}")
    return TABLES[name]
