"""Near-identical purpose narratives: one story recycled to cover unrelated searches.

A narrative is reduced to its set of words (lower case, no digits, no punctuation; case
numbers, dates and times fall away), and two narratives are one when their word sets overlap
by at least a threshold (Jaccard). Grouping uses an exact prefix-filter join: each set is
indexed under its rarest few words, so only sets that could reach the threshold are compared,
and the result does not depend on hashing or order. Words shared by hundreds of narratives
are not probed (PROBE_LIMIT), which keeps the join near linear. Pure Python.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

_WORD = re.compile(r"[a-z]+")
_SHORT = 2  # words this short carry no story ("a", "on", "at")
PROBE_LIMIT = 200  # a prefix word already shared by more narratives is not probed


def words_of(narrative: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(narrative.lower()) if len(w) > _SHORT)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def group_similar(texts: Iterable[str], threshold: float) -> list[list[str]]:
    """The distinct texts in groups of near-identical ones (single link at ``threshold``),
    each text in exactly one group (alone when nothing is like it)."""
    distinct = list(dict.fromkeys(texts))
    sets = [words_of(t) for t in distinct]
    freq: Counter[str] = Counter(w for s in sets for w in s)
    # Rarest first: each word's place in that order, then each set sorted by it.
    rank = {w: k for k, w in enumerate(sorted(freq, key=lambda w: (freq[w], w)))}
    ordered = [sorted(s, key=rank.__getitem__) for s in sets]
    parent = list(range(len(distinct)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sizes = [len(s) for s in sets]
    # Each set as the bits of its words: the words two sets share are then counted with one
    # AND on machine words instead of a set intersection.
    # Only words in two sets or more can be shared: a word of one narrative (a name, a
    # made-up word) gets no bit, which keeps the masks (and each AND) short.
    bit = {w: 1 << k for k, w in enumerate(w for w, n in freq.items() if n > 1)}
    masks = [sum(bit[w] for w in s if w in bit) for s in sets]
    index: defaultdict[str, list[int]] = defaultdict(list)
    for i in sorted(range(len(distinct)), key=lambda k: len(ordered[k])):
        words = ordered[i]
        if not words:
            continue
        mine, size = masks[i], sizes[i]
        # Sets are indexed in order of size, so every probed set is at most this large; one
        # with small / large below the threshold cannot reach it (Jaccard <= small / large).
        prefix = len(words) - math.ceil(threshold * len(words)) + 1
        seen: set[int] = set()
        root = find(i)  # i's root changes only by the joins below, which set it
        for w in words[:prefix]:
            probe = index[w]
            if len(probe) > PROBE_LIMIT:
                # A word in hundreds of narratives tells nothing about which ones are alike;
                # comparing with all of them makes the join quadratic in a template-heavy
                # user's narratives. Pairs alike only through such words can be missed.
                probe.append(i)
                continue
            for j in probe:
                if j in seen:
                    continue
                seen.add(j)
                other = sizes[j]
                if other / size < threshold:
                    continue
                shared = (mine & masks[j]).bit_count()  # Jaccard without the union
                if shared / (size + other - shared) >= threshold:
                    theirs = find(j)
                    if theirs != root:
                        parent[root] = theirs
                        root = theirs
            probe.append(i)
    groups: defaultdict[int, list[str]] = defaultdict(list)
    for i, text in enumerate(distinct):
        groups[find(i)].append(text)
    return list(groups.values())
