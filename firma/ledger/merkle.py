"""The Merkle tree of RFC 9162 (§2.1): hashing, appending, and the proofs a server gives.

Pure functions over hashes. The stored tree keeps the hash of every perfect subtree (a node at
`level` covering leaves [index·2^level, (index+1)·2^level)), so that any proof needs only
O(log n) of them, read in one query, whatever the tree's size. Verifying is done elsewhere, by
scripts/verify_ledger.py, so that the verifier shares no code with what it checks.
"""

import hashlib
from collections.abc import Callable, Iterable

Key = tuple[int, int]  # (level, index) of a perfect subtree; level 0 is a leaf
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 9162 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


def frontier_levels(size: int) -> list[int]:
    """The levels of the perfect subtrees a tree of `size` leaves is made of, left to right."""
    return [level for level in reversed(range(size.bit_length())) if size >> level & 1]


def unpack(frontier: bytes) -> list[bytes]:
    return [frontier[i : i + 32] for i in range(0, len(frontier), 32)]


def root(frontier: list[bytes]) -> bytes:
    """The tree's root from its perfect subtrees: folded from the right, as MTH splits."""
    if not frontier:
        return EMPTY_ROOT
    found = frontier[-1]
    for left in reversed(frontier[:-1]):
        found = node_hash(left, found)
    return found


def append(size: int, frontier: list[bytes], leaf: bytes) -> list[tuple[int, int, bytes]]:
    """Add the leaf hash `leaf` as leaf number `size`, updating `frontier` in place; returns the
    nodes (level, index, hash) it completed, the leaf itself first."""
    made = [(0, size, leaf)]
    node, level, index = leaf, 0, size
    while size >> level & 1:  # the subtree on the left at this level is complete
        node = node_hash(frontier.pop(), node)
        level, index = level + 1, index >> 1
        made.append((level, index, node))
    frontier.append(node)
    return made


def pieces(lo: int, hi: int) -> list[Key]:
    """The perfect subtrees whose hashes give MTH(D[lo:hi])."""
    n = hi - lo
    if n & (n - 1) == 0 and lo % n == 0:
        level = n.bit_length() - 1
        return [(level, lo >> level)]
    k = split(n)
    return pieces(lo, lo + k) + pieces(lo + k, hi)


def subtree(lo: int, hi: int, nodes: dict[Key, bytes]) -> bytes:
    """MTH(D[lo:hi]) from the perfect subtrees `pieces` named."""
    n = hi - lo
    if n & (n - 1) == 0 and lo % n == 0:
        level = n.bit_length() - 1
        return nodes[level, lo >> level]
    k = split(n)
    return node_hash(subtree(lo, lo + k, nodes), subtree(lo + k, hi, nodes))


def inclusion_ranges(index: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """The subtrees of PATH(index, D[lo:hi]) (RFC 9162 §2.1.3.1), from the leaf up."""
    if hi - lo <= 1:
        return []
    k = split(hi - lo)
    if index < lo + k:
        return [*inclusion_ranges(index, lo, lo + k), (lo + k, hi)]
    return [*inclusion_ranges(index, lo + k, hi), (lo, lo + k)]


def consistency_ranges(first: int, lo: int, hi: int, whole: bool = True) -> list[tuple[int, int]]:
    """The subtrees of SUBPROOF(first, D[lo:hi], whole) (RFC 9162 §2.1.4.1)."""
    m, n = first - lo, hi - lo
    if m == n:
        return [] if whole else [(lo, hi)]
    k = split(n)
    if m <= k:
        return [*consistency_ranges(first, lo, lo + k, whole), (lo + k, hi)]
    return [*consistency_ranges(first, lo + k, hi, False), (lo, lo + k)]


def proof(
    ranges: Iterable[tuple[int, int]], fetch: Callable[[set[Key]], dict[Key, bytes]]
) -> list[bytes]:
    """The hashes of `ranges`, reading every perfect subtree they need with one `fetch`."""
    ranges = list(ranges)
    needed = {key for lo, hi in ranges for key in pieces(lo, hi)}
    nodes = fetch(needed) if needed else {}
    return [subtree(lo, hi, nodes) for lo, hi in ranges]


def inclusion_proof(index: int, size: int, fetch) -> list[bytes]:
    if not 0 <= index < size:
        raise ValueError("The leaf is not in a tree of that size.")
    return proof(inclusion_ranges(index, 0, size), fetch)


def consistency_proof(first: int, second: int, fetch) -> list[bytes]:
    """PROOF(first, D[second]); empty when either tree is empty or both are the same size."""
    if not 0 <= first <= second:
        raise ValueError("The first size must not exceed the second.")
    if first == 0 or first == second:
        return []
    return proof(consistency_ranges(first, 0, second), fetch)


def root_at(size: int, fetch) -> bytes:
    """The root of the tree's first `size` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return proof([(0, size)], fetch)[0]
