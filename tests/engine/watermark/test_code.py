from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.watermark import code
from kpo.engine.watermark.code import (
    CODE_BITS,
    MAX_ID,
    BadDownloadId,
    Votes,
    codeword_bits,
    confidence,
    decode,
    encode,
    parse_tag,
    tag,
)

ids = st.integers(0, MAX_ID)


def _votes(bits: tuple[int, ...], shift: int = 0) -> Votes:
    votes = Votes()
    for i, bit in enumerate(bits):
        votes.add(i + shift, bit)
    return votes


@settings(max_examples=50, deadline=None)
@given(ids)
def test_codeword_round_trip(download_id: int) -> None:
    assert len(encode(download_id)) == 10
    result = decode(_votes(codeword_bits(download_id)))
    assert result is not None
    assert result.download_id == download_id
    assert result.confidence > 0.999999


@settings(max_examples=40, deadline=None)
@given(ids, st.lists(st.integers(0, 9), min_size=0, max_size=3, unique=True))
def test_three_wrong_bytes_are_repaired(download_id: int, wrong: list[int]) -> None:
    bits = list(codeword_bits(download_id))
    for byte in wrong:
        for k in range(8):
            bits[byte * 8 + k] ^= 1
    result = decode(_votes(tuple(bits)))
    assert result is not None and result.download_id == download_id


@settings(max_examples=40, deadline=None)
@given(ids, st.lists(st.integers(0, 9), min_size=1, max_size=6, unique=True))
def test_up_to_six_missing_bytes_are_recovered_but_lose_confidence(
    download_id: int, missing: list[int]
) -> None:
    votes = Votes()
    for i, bit in enumerate(codeword_bits(download_id)):
        if i // 8 not in missing:
            votes.add(i, bit)
    result = decode(votes)
    assert result is not None and result.download_id == download_id
    assert result.decided_bits == CODE_BITS - 8 * len(missing)
    if len(missing) == 6:
        assert result.confidence < 0.5  # only 32 bits: exactly as many as the id, a guess


def test_whitening_makes_id_zero_look_like_noise() -> None:
    assert 20 < sum(codeword_bits(0)) < 60


def test_unmarked_evidence_never_decodes_confidently() -> None:
    # an unmarked text reads as all zeros on every channel, at every alignment
    for shift in range(CODE_BITS):
        zeros = Votes()
        for i in range(CODE_BITS):
            zeros.add(i + shift, 0)
        result = decode(zeros, hypotheses=CODE_BITS)
        assert result is None or result.confidence < code.DEFAULT_THRESHOLD
    assert decode(Votes()) is None


def test_confidence_grows_with_evidence_and_falls_with_disagreement() -> None:
    assert confidence(80, 0) > confidence(50, 0) > confidence(40, 0)
    assert confidence(80, 0) > confidence(80, 10)
    assert confidence(32, 0) == 0.0
    assert confidence(80, 0, hypotheses=80) < confidence(80, 0)


@pytest.mark.parametrize("bad", [-1, MAX_ID + 1, True, 1.5, "7"])
def test_bad_ids_are_refused(bad: object) -> None:
    with pytest.raises(BadDownloadId):
        encode(bad)  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(ids)
def test_metadata_tag_round_trip_and_repair(download_id: int) -> None:
    value = tag(download_id)
    assert value.startswith("kpo1-") and len(value) == 21
    parsed = parse_tag(f"Keywords: report, {value}, q3")
    assert parsed is not None and parsed.download_id == download_id
    damaged = value[:8] + ("a" if value[8] != "a" else "b") + value[9:]
    repaired = parse_tag(damaged)
    assert repaired is not None and repaired.download_id == download_id


def test_no_tag_is_none() -> None:
    assert parse_tag("Quarterly review, kpo, 2025") is None
