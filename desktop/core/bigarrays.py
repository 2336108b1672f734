"""Large numpy arrays in plain memory pages.

numpy asks the kernel for transparent huge pages on every array of 4 MB or more. Where the
kernel defragments on demand for such requests (the common `defrag=madvise` setting), touching
a fresh gigabyte stalls in memory compaction once the process has freed large blocks (as after
decrypting a bundle): 1.6-2.2 s for the England values table against 0.3-0.5 s in plain 4 kB
pages, measured on the benchmark machine. The arrays made here live in an anonymous mapping
of their own, returned to the system when the array is freed.
"""

from __future__ import annotations

import mmap

import numpy as np

HUGE_PAGE_FROM = 4 * 1024**2  # numpy's threshold; smaller arrays are made as usual


def zeros(n: int, dtype: np.dtype | type) -> np.ndarray:
    """A writable 1-D array of `n` zeros (the mapping starts zeroed, pages made on first use)."""
    dtype = np.dtype(dtype)
    if n * dtype.itemsize < HUGE_PAGE_FROM:
        return np.zeros(n, dtype)
    return np.frombuffer(mmap.mmap(-1, n * dtype.itemsize), dtype=dtype)
