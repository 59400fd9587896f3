"""Vectorized "per group, over time" look-ups: sorted (group, time) keys and interval counts.

Rolling windows per customer or terminal, and "how many known events cover this row",
are all answered with one sort plus ``np.searchsorted``; no Python loop over rows.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np


def stable_argsort(keys):
    """Return ``(order, keys[order])`` for non-negative int64 keys, ties in original order.

    When the row index fits in the keys' unused low bits, sorting ``key << bits | index``
    with numpy's (SIMD) value sort is several times faster than a stable argsort.
    """
    keys = np.asarray(keys, dtype=np.int64)
    index_bits = max(int(keys.size).bit_length(), 1)
    if keys.size and int(keys.max()).bit_length() + index_bits <= 62:
        packed = keys << index_bits
        packed |= np.arange(keys.size, dtype=np.int64)
        packed.sort()
        order = packed & ((1 << index_bits) - 1)
        packed >>= index_bits
        return order, packed
    order = np.argsort(keys, kind="stable")
    return order, keys[order]


class GroupTimeKeys:
    """Rows sorted by (group, time, original position), with int64 keys to search in.

    ``group`` holds non-negative integers (ids); ``seconds`` int64 times. ``encode`` maps any
    (group, time) pair to the key space; a time before (after) all the rows of the data is
    clipped just below (above) them, so queries never spill into a neighbouring group.
    """

    def __init__(self, group, seconds):
        self._origin = int(seconds.min()) - 1
        self._span = int(seconds.max()) - self._origin + 2
        if int(group.max()) + 1 > (2**62) // self._span:
            raise ValueError("Too many groups or too long a period to index in 64-bit keys.")
        keys = np.multiply(group, self._span, dtype=np.int64)
        keys += seconds
        keys -= self._origin
        self.order, self.keys = stable_argsort(keys)

    @cached_property
    def group(self):
        """Group of each row, in sorted order."""
        return self.keys // self._span

    @cached_property
    def seconds(self):
        """Time of each row, in sorted order."""
        return self.keys % self._span + self._origin

    def encode(self, group, seconds):
        """Key of the (group, time) pairs, times clipped to just outside the data's range."""
        offset = np.clip(np.asarray(seconds, dtype=np.int64) - self._origin, 0, self._span - 1)
        return np.asarray(group, dtype=np.int64) * self._span + offset

    def window_start(self, window_seconds):
        """Sorted position of each sorted row's first row of the same group with time > t - window."""
        return np.searchsorted(self.keys, self.encode(self.group, self.seconds - window_seconds), side="right")

    def unsort(self, values):
        """Put values computed in sorted order back in the rows' original order."""
        out = np.empty_like(values)
        out[self.order] = values
        return out


def count_covering(n, starts, ends):
    """For positions 0..n-1, count the intervals [starts[k], ends[k]) that contain each one."""
    keep = starts < ends
    delta = np.bincount(starts[keep], minlength=n + 1) - np.bincount(ends[keep], minlength=n + 1)
    return np.cumsum(delta[:n])
