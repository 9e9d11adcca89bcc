"""The whole mentee x mentor score matrix, vectorised with numpy (:func:`build_scores`)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .answers import AnswerCriterion, answer_points
from .people import MEETING_MODES, Person
from .weights import Weights, _experience_points, _proximity_value

_CHUNK = 262_144
_MODE_BITS = {mode: 1 << index for index, mode in enumerate(MEETING_MODES)}


@dataclass(frozen=True)
class ScoreMatrix:
    """Total score per (mentee, mentor) pair, float64 of shape (n_mentees, n_mentors)."""

    total: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.total.shape[0]), int(self.total.shape[1]))


def _bitsets(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """Boolean membership matrix (people x vocabulary)."""
    for items in sets:
        for item in sorted(items):
            vocabulary.setdefault(item, len(vocabulary))
    out = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=bool)
    for row, items in enumerate(sets):
        for item in items:
            out[row, vocabulary[item]] = True
    return out


def _mode_bits(people: Sequence[Person]) -> np.ndarray:
    """Meeting modes as bitmasks; unknown modes get bits beyond the four known ones."""
    bits = dict(_MODE_BITS)
    out = np.zeros(len(people), dtype=np.int64)
    for index, person in enumerate(people):
        value = 0
        for mode in person.meeting_modes:
            if mode not in bits:
                bits[mode] = 1 << len(bits)
            value |= bits[mode]
        out[index] = value
    return out


def _classes(rows: Sequence[tuple]) -> tuple[np.ndarray, list[tuple]]:
    """Class code per row and the distinct rows, in first-seen order."""
    seen: dict[tuple, int] = {}
    codes = np.empty(len(rows), dtype=np.intp)
    for index, row in enumerate(rows):
        codes[index] = seen.setdefault(row, len(seen))
    return codes, list(seen)


def _words(bits: np.ndarray) -> np.ndarray:
    """Pack a boolean membership matrix (people x vocabulary) into uint64 words."""
    count, width = bits.shape
    words = max(1, -(-width // 64))
    out = np.zeros((count, words), dtype=np.uint64)
    for column in range(width):
        out[:, column // 64] |= bits[:, column].astype(np.uint64) << np.uint64(column % 64)
    return out


def _popcount_and(
    left: np.ndarray, right: np.ndarray, word: np.ndarray, count: np.ndarray, more: np.ndarray
) -> None:
    """count[i, j] = number of bits set in both left[i] and right[j] (uint64 word rows)."""
    for index in range(left.shape[1]):
        np.bitwise_and(left[:, index, None], right[None, :, index], out=word)
        np.bitwise_count(word, out=count if index == 0 else more)
        if index:
            count += more


def _merge_tables(
    tables: list[tuple[np.ndarray, np.ndarray, np.ndarray]], m: int
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Fold class tables pairwise while the combined table stays small (same sums)."""
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for left, right, table in tables:
        if out:
            pl, pr, pt = out[-1]
            rows = pt.shape[0] * table.shape[0]
            cols = pt.shape[1] * table.shape[1]
            if rows * cols <= 1_000_000 and rows * m <= 4_000_000:
                merged = (pt[:, None, :, None] + table[None, :, None, :]).reshape(rows, cols)
                out[-1] = (pl * table.shape[0] + left, pr * table.shape[1] + right, merged)
                continue
        out.append((left, right, table))
    return out


Table = tuple[np.ndarray, np.ndarray, np.ndarray]  # (mentee class, mentor class, class table)


@dataclass(frozen=True)
class _Bits:
    """One bit-counted criterion: packed membership words per side and the points per count."""

    left: np.ndarray
    right: np.ndarray
    points: np.ndarray


@dataclass(frozen=True)
class _Plan:
    """Everything a row chunk needs to fill its part of the matrix."""

    areas: _Bits
    tables: list[tuple[np.ndarray, np.ndarray | None, np.ndarray]]  # see _pre_gather
    demographics: _Bits | None  # None when nobody answered the opt-in questions


def build_scores(
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    weights: Weights,
    criteria: Sequence[AnswerCriterion] = (),
) -> ScoreMatrix:
    """Score every (mentee, mentor) pair with the same numbers as :func:`explain`.

    Areas and demographics are boolean matrix products. The other criteria depend on a few
    categorical attributes per side, so each side is reduced to classes of identical
    attributes, a small class x class table is computed with the scalar rules that
    :func:`explain` uses, and the matrix gathers from it. The criteria drawn from the
    program's own questions (`criteria`) are such tables too: one per criterion, over the
    distinct answers of each side. Work runs in row chunks on two threads; memory beyond the
    float64 output stays a few MB per chunk.
    """
    n, m = len(mentees), len(mentors)
    total = np.empty((n, m), dtype=np.float64)
    if n == 0 or m == 0:
        return ScoreMatrix(total)
    tables = _library_and_mode_tables(mentees, mentors, weights)
    tables.append(_experience_table(mentees, mentors, weights))
    proximity = _proximity_table(mentees, mentors, weights)
    if proximity is not None:
        tables.append(proximity)
    tables += [_answer_table(mentees, mentors, c) for c in criteria if c.weight]
    plan = _Plan(
        areas=_area_bits(mentees, mentors, weights),
        # Merge small tables (e.g. experience and proximity) so a chunk gathers fewer of them.
        tables=_pre_gather(_merge_tables(tables, m), m),
        demographics=_demographic_bits(mentees, mentors, weights),
    )
    # Small row chunks keep every temporary in cache; each worker reuses its own buffers.
    step = max(1, min(n, _CHUNK // m))
    chunks = [(a, min(n, a + step)) for a in range(0, n, step)]
    if len(chunks) > 8:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(
                pool.map(lambda part: _fill(plan, total, part, step), [chunks[0::2], chunks[1::2]])
            )
    else:
        _fill(plan, total, chunks, step)
    return ScoreMatrix(total)


def _area_bits(mentees: Sequence[Person], mentors: Sequence[Person], w: Weights) -> _Bits:
    """Shared areas of interest: one bit per area, points per shared-area count."""
    vocabulary: dict[str, int] = {}
    left = _bitsets([p.areas for p in mentees], vocabulary)
    right = _bitsets([p.areas for p in mentors], vocabulary)
    width = max(len(vocabulary), 1)
    left = np.pad(left, ((0, 0), (0, width - left.shape[1])))
    right = np.pad(right, ((0, 0), (0, width - right.shape[1])))
    # Points per shared-area count, computed exactly as explain() does.
    points = np.array(
        [w.areas * min(count, w.max_shared_areas) for count in range(width + 1)],
        dtype=np.float64,
    )
    return _Bits(_words(left), _words(right), points)


def _library_and_mode_tables(
    mentees: Sequence[Person], mentors: Sequence[Person], w: Weights
) -> list[Table]:
    """Library type, priority and meeting modes: one class x class table when small enough."""
    n = len(mentees)
    c1_left, k1_left = _classes(
        [(p.library_type, p.library_type_preference, p.priority) for p in mentees]
    )
    c1_right, k1_right = _classes([(p.library_type,) for p in mentors])
    left_type = np.array([row[0] for row in k1_left], dtype=object)
    left_pref = np.array([row[1] for row in k1_left], dtype=object)
    left_prio = np.array([row[2] for row in k1_left], dtype=bool)
    right_type = np.array([row[0] for row in k1_right], dtype=object)
    same = left_type[:, None] == right_type[None, :]
    earned = (same & (left_pref == "same")[:, None]) | (~same & (left_pref == "different")[:, None])
    t1 = np.where(earned, w.library_type, 0.0) + np.where(left_prio, w.priority, 0.0)[:, None]
    all_modes = _mode_bits([*mentees, *mentors])
    cm_left, km_left = _classes([(int(x),) for x in all_modes[:n]])
    cm_right, km_right = _classes([(int(x),) for x in all_modes[n:]])
    lbits = np.array([row[0] for row in km_left], dtype=np.int64)
    rbits = np.array([row[0] for row in km_right], dtype=np.int64)
    tm = np.where((lbits[:, None] & rbits[None, :]) != 0, w.meeting_modes, -w.meeting_mode_penalty)
    # Fold meeting modes into the library table when the product stays small.
    if len(k1_left) * len(km_left) * len(k1_right) * len(km_right) > 1_000_000:
        return [(c1_left, c1_right, t1), (cm_left, cm_right, tm)]
    folded = (t1[:, None, :, None] + tm[None, :, None, :]).reshape(
        len(k1_left) * len(km_left), len(k1_right) * len(km_right)
    )
    return [(c1_left * len(km_left) + cm_left, c1_right * len(km_right) + cm_right, folded)]


def _experience_table(mentees: Sequence[Person], mentors: Sequence[Person], w: Weights) -> Table:
    """Experience: depends on the two years only."""
    left, left_keys = _classes([(p.years_experience,) for p in mentees])
    right, right_keys = _classes([(p.years_experience,) for p in mentors])
    table = np.array(
        [[_experience_points(b[0] - a[0], w) for b in right_keys] for a in left_keys],
        dtype=np.float64,
    )
    return left, right, table


def _proximity_table(
    mentees: Sequence[Person], mentors: Sequence[Person], w: Weights
) -> Table | None:
    """Proximity: only mentees who asked for someone near earn it (None when nobody asked)."""
    if not any(p.prefers_near for p in mentees):
        return None
    left, left_keys = _classes(
        [(p.region, p.utc_offset_hours) if p.prefers_near else None for p in mentees]
    )
    right, right_keys = _classes([(p.region, p.utc_offset_hours) for p in mentors])
    table = np.zeros((len(left_keys), len(right_keys)), dtype=np.float64)
    for x, lrow in enumerate(left_keys):
        if lrow is None:
            continue
        for y, rrow in enumerate(right_keys):
            table[x, y] = _proximity_value(True, lrow[0], lrow[1], rrow[0], rrow[1], w)
    return left, right, table


def _answer_codes(people: Sequence[Person], question: int) -> tuple[np.ndarray, list]:
    """Class code per person of their answer to `question`, and the distinct answers (an
    empty answer is None). The _classes of one value, without a tuple per person."""
    seen: dict = {}
    codes = np.empty(len(people), dtype=np.intp)
    for index, person in enumerate(people):
        value = person.answers.get(question) or None  # an empty set of choices is no answer
        codes[index] = seen.setdefault(value, len(seen))
    return codes, list(seen)


def _answer_table(
    mentees: Sequence[Person], mentors: Sequence[Person], criterion: AnswerCriterion
) -> Table:
    """A criterion on the program's own questions: depends on the two answers only."""
    left, left_keys = _answer_codes(mentees, criterion.mentee_question)
    right, right_keys = _answer_codes(mentors, criterion.mentor_question)
    table = np.array(
        [[answer_points(criterion, a, b) for b in right_keys] for a in left_keys],
        dtype=np.float64,
    )
    return left, right, table


def _demographic_bits(
    mentees: Sequence[Person], mentors: Sequence[Person], w: Weights
) -> _Bits | None:
    """A pair's demographic matches: the mentee's requests met by the mentor's answers plus
    the mentor's requests met by the mentee's answers, as one popcount over both halves."""
    n, m = len(mentees), len(mentors)
    sets = [p.demographics for p in mentees] + [p.demographic_preference for p in mentees]
    sets += [p.demographics for p in mentors] + [p.demographic_preference for p in mentors]
    demo = _bitsets(sets, {})
    if not demo.any():
        return None
    left = _words(np.concatenate((demo[n : 2 * n], demo[:n]), axis=1))
    right = _words(np.concatenate((demo[2 * n : 2 * n + m], demo[2 * n + m :]), axis=1))
    points = np.array(
        [w.demographics * count for count in range(2 * demo.shape[1] + 1)], dtype=np.float64
    )
    return _Bits(left, right, points)


def _pre_gather(
    tables: list[Table], m: int
) -> list[tuple[np.ndarray, np.ndarray | None, np.ndarray]]:
    """Gather each table along the mentor axis when small enough (mentor codes then None), so
    a chunk only needs a row gather (contiguous copies) instead of a 2-D fancy index."""
    gathered = []
    for left_codes, right_codes, table in tables:
        if table.shape[0] * m <= 8_000_000:
            gathered.append((left_codes, None, np.ascontiguousarray(table[:, right_codes])))
        else:
            gathered.append((left_codes, right_codes, table))
    return gathered


def _fill(plan: _Plan, total: np.ndarray, chunks: list[tuple[int, int]], step: int) -> None:
    """Fill the rows a..b of `total` for each chunk, with buffers of `step` rows."""
    m = total.shape[1]
    word = np.empty((step, m), dtype=np.uint64)
    count = np.empty((step, m), dtype=np.uint16)
    more = np.empty((step, m), dtype=np.uint16)
    extra = np.empty((step, m), dtype=np.float64)
    for a, b in chunks:
        k = b - a
        out = total[a:b]
        _popcount_and(plan.areas.left[a:b], plan.areas.right, word[:k], count[:k], more[:k])
        np.take(plan.areas.points, count[:k], out=out)
        for left_codes, right_codes, table in plan.tables:
            if right_codes is None:
                np.take(table, left_codes[a:b], axis=0, out=extra[:k])
                out += extra[:k]
            else:
                out += table[left_codes[a:b, None], right_codes[None, :]]
        demo = plan.demographics
        if demo is not None:
            # Opt-in preferences: few pairs earn points, so only those are touched.
            _popcount_and(demo.left[a:b], demo.right, word[:k], count[:k], more[:k])
            hit = np.flatnonzero(count[:k])
            if hit.size:
                flat = out.reshape(-1)
                flat[hit] += demo.points[count[:k].reshape(-1)[hit]]
