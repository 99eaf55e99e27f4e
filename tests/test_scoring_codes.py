"""The boards read a frame through integer codes (``scoring.frame.column_codes``): they must give what
the plain pandas formulations they replaced give, on awkward frames (revisions, unknown items and
values, empty and missing values, a sector literally called "unknown", no rows at all)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from partenariat_core.model import PROFILE, Event
from partenariat_core.scoring import (
    UNKNOWN_SECTOR,
    conditions_by_sector,
    events_frame,
    is_latest,
    latest_answers,
    participant_count,
    participant_sectors,
    score_continuum,
)
from partenariat_core.scoring.frame import (
    answer_codes,
    column_codes,
    empty_frame,
    latest_mask,
    positions,
    sector_codes,
)

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def random_frame(instruments, seed: int, n: int = 400) -> pd.DataFrame:
    """Conditions, continuum and profile answers from a few people, with many revisions, answers to
    items and values no instrument has, empty sectors and a sector named like ``UNKNOWN_SECTOR``."""
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(rng.randint(3, 30))]
    items = [item.id for item in instruments["conditions"].items] + ["no_such_item"]
    answers = [*instruments["conditions"].scale.values, "dont_know", "Z"]
    levels = [level.id for level in instruments["continuum"].levels] + ["nowhere"]
    sectors = ["municipal", "community", "education", "", UNKNOWN_SECTOR]
    events = []
    for i in range(n):
        kind = rng.random()
        if kind < 0.45:
            instrument, item, value = "conditions", rng.choice(items), rng.choice(answers)
        elif kind < 0.8:
            instrument, item, value = "continuum", rng.choice(("now", "desired", "later")), rng.choice(levels)
        else:
            instrument, item, value = PROFILE, rng.choice(("sector", "sector", "role")), rng.choice(sectors)
        when = T0 + dt.timedelta(seconds=rng.randint(0, n))  # out of order: events_frame sorts
        events.append(
            Event("CODES2", rng.choice(people), f"s{i}", instrument, item, value, "", when, seq=i + 1)
        )
    return events_frame(events)


# What the boards computed before codes, kept here as the reference ------------------------------


def reference_latest(frame: pd.DataFrame, instrument: str) -> pd.DataFrame:
    latest = frame[is_latest(frame)]
    return latest[latest["instrument"] == instrument].reset_index(drop=True)


def reference_continuum(frame: pd.DataFrame, instrument) -> tuple[pd.DataFrame, pd.DataFrame, dict, int]:
    levels = [level.id for level in instrument.levels]
    rank = [level.rank for level in instrument.levels]
    questions = [q.id for q in instrument.questions]
    answers = reference_latest(frame, instrument.id)
    level_of = pd.Index(levels).get_indexer(answers["value"])
    question_of = pd.Index(questions).get_indexer(answers["item"])
    keep = (level_of >= 0) & (question_of >= 0)
    level_of, question_of = level_of[keep], question_of[keep]
    people = answers["participant"].to_numpy()[keep]
    counts = np.bincount(level_of * len(questions) + question_of, minlength=len(levels) * len(questions))
    now_q, desired_q = 0, len(questions) - 1
    desired = dict(zip(people[question_of == desired_q], level_of[question_of == desired_q], strict=True))
    pairs = [
        (now, desired[person])
        for person, now in zip(people[question_of == now_q], level_of[question_of == now_q], strict=True)
        if person in desired
    ]
    moves = np.bincount(
        np.array([now * len(levels) + want for now, want in pairs], dtype="int64"), minlength=len(levels) ** 2
    )
    steps = Counter(rank[want] - rank[now] for now, want in pairs)
    return (
        counts.reshape(len(levels), len(questions)),
        moves.reshape(len(levels), len(levels)),
        {int(step): steps[step] for step in sorted(steps)},
        len(pairs),
    )


def reference_by_sector(frame: pd.DataFrame, instrument, threshold: int) -> tuple[pd.DataFrame, dict, int]:
    """A pivot table of the mean score per sector and condition, as a pandas user would write it."""
    answers = reference_latest(frame, instrument.id)
    scale = instrument.scale
    answers = answers[
        answers["item"].isin([i.id for i in instrument.items]) & answers["value"].isin(scale.values)
    ]
    sectors = participant_sectors(frame)
    known = dict(zip(sectors.index, sectors, strict=True))
    answers = answers.assign(
        sector=[known.get(p, UNKNOWN_SECTOR) for p in answers["participant"]],
        condition=answers["item"].map({i.id: i.condition for i in instrument.items}),
        score=answers["value"].map(scale.scores).astype(float),
    )
    per_sector = answers.drop_duplicates("participant")["sector"].value_counts()
    sizes = {s: int(per_sector[s]) for s in sorted(per_sector.index) if per_sector[s] >= threshold}
    hidden = int(per_sector[per_sector < threshold].sum())
    shown = answers[answers["sector"].isin(list(sizes))]
    table = shown.pivot_table(index="sector", columns="condition", values="score", aggfunc="mean")
    table = table.reindex(index=list(sizes), columns=[c.id for c in instrument.conditions])
    return table, sizes, hidden


# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_latest_rows_from_codes_equal_pandas_duplicated(instruments, seed):
    frame = random_frame(instruments, seed)
    np.testing.assert_array_equal(latest_mask(frame), is_latest(frame).to_numpy())
    for instrument in ("conditions", "continuum", PROFILE, "no_such_instrument"):
        pd.testing.assert_frame_equal(latest_answers(frame, instrument), reference_latest(frame, instrument))
        codes, uniques = answer_codes(frame, instrument, "value")
        assert [uniques[c] for c in codes] == reference_latest(frame, instrument)["value"].tolist()


def test_missing_values_are_one_value_of_their_own_as_duplicated_counts_them():
    frame = pd.DataFrame(
        {
            "participant": ["a", "a", None, None, "b"],
            "instrument": ["x", "x", "x", "x", None],
            "item": ["i", "i", "i", "i", None],
        }
    )
    assert latest_mask(frame).tolist() == is_latest(frame).tolist() == [False, True, False, True, True]


def test_an_empty_frame_has_no_latest_rows_and_no_participants():
    frame = empty_frame()
    assert latest_mask(frame).tolist() == []
    assert latest_answers(frame, "conditions").empty
    assert participant_count(frame) == 0


def test_positions_are_what_get_indexer_gives():
    values = pd.Series(["b", "zz", "a", "", "b", None], dtype="str")
    codes, uniques = column_codes(values.to_frame("value"), "value")
    wanted = ["a", "b", "c"]
    assert positions(codes, uniques, wanted).tolist() == pd.Index(wanted).get_indexer(values).tolist()
    assert positions(codes, uniques, wanted).tolist() == [1, -1, 0, -1, 1, -1]
    assert positions(np.array([], dtype="int64"), [], wanted).tolist() == []


@pytest.mark.parametrize("seed", range(8))
def test_continuum_from_codes_equals_the_pandas_version(instruments, seed):
    frame = random_frame(instruments, seed)
    got = score_continuum(frame, instruments["continuum"])
    counts, moves, shifts, pairs = reference_continuum(frame, instruments["continuum"])
    np.testing.assert_array_equal(got.counts.to_numpy(), counts)
    np.testing.assert_array_equal(got.moves.to_numpy(), moves)
    assert got.shifts == shifts and got.n_pairs == pairs
    assert all(type(step) is int and type(n) is int for step, n in got.shifts.items())


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("threshold", [1, 3])
def test_sector_breakdown_from_codes_equals_a_pivot_table(instruments, seed, threshold):
    frame = random_frame(instruments, seed)
    got = conditions_by_sector(frame, instruments["conditions"], threshold)
    table, sizes, hidden = reference_by_sector(frame, instruments["conditions"], threshold)
    assert got.sizes == sizes and got.hidden_people == hidden
    pd.testing.assert_frame_equal(got.table, table, check_names=False, check_dtype=False)


@pytest.mark.parametrize("seed", range(4))
def test_sector_codes_and_participant_count_follow_the_latest_answers(instruments, seed):
    frame = random_frame(instruments, seed)
    people = column_codes(frame, "participant")[1]
    values = column_codes(frame, "value")[1]
    by_code = {people[p]: values[s] for p, s in enumerate(sector_codes(frame)) if s >= 0}
    assert by_code == participant_sectors(frame).to_dict()
    assert participant_count(frame) == frame.loc[frame["instrument"] != PROFILE, "participant"].nunique()


def test_a_sector_named_unknown_counts_with_the_people_who_gave_none(instruments, make_event):
    item = instruments["conditions"].items[0].id
    events = [make_event(f"p{i}", "conditions", item, "A") for i in range(4)]
    events += [make_event("p0", PROFILE, "sector", UNKNOWN_SECTOR), make_event("p1", PROFILE, "sector", "")]
    got = conditions_by_sector(events_frame(events), instruments["conditions"], 3)
    assert got.sizes == {UNKNOWN_SECTOR: 4} and got.hidden_people == 0


@pytest.mark.parametrize(
    "values",
    [
        ["a", "", "é😀\n\t\"'", "x" * 10_000],
        ["a", None, "b"],
        [None, None],
        ["a", 3, "b"],  # not all texts: left to pandas
    ],
)
def test_a_text_column_is_what_pandas_makes_of_the_list(values):
    from partenariat_core.scoring.frame import text_column

    pd.testing.assert_series_equal(pd.Series(text_column(list(values))), pd.Series(values))


@pytest.mark.parametrize(
    "values",
    [
        ["2026-11-25T09:00:00+00:00", "2026-11-25T09:00:00.250000+00:00", "2026-12-31T23:59:59.999999+00:00"],
        ["2026-11-25T09:00:00.5+00:00", "2026-11-25T09:00:00.123+00:00"],
        ["2026-11-25T09:00:00-05:00", "2026-11-25T10:00:00-05:00"],  # one offset, not UTC
        ["2026-11-25T09:00:00.123456789+00:00"],  # finer than a microsecond
    ],
)
def test_instants_parsed_by_pyarrow_are_what_pandas_parses(values):
    from partenariat_core.scoring.frame import _instants

    expected = pd.to_datetime(pd.Series(values, dtype="str"), format="ISO8601").dt.as_unit("us")
    pd.testing.assert_series_equal(pd.Series(_instants(values)), expected)


def test_instants_with_several_offsets_stay_python_datetimes():
    from partenariat_core.scoring.frame import _instants

    values = ["2026-11-25T09:00:00+00:00", "2026-11-25T09:00:00-05:00"]
    assert _instants(values) == [dt.datetime.fromisoformat(v) for v in values]
