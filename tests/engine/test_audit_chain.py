from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.audit_chain import (
    GENESIS_HASH,
    Entry,
    append,
    build,
    canonical,
    checkpoint_is_signed,
    entry_hash,
    sign_checkpoint,
    verify,
)


def _chain(n: int = 6) -> list[Entry]:
    return build([{"event": "download", "user": f"u{i}", "n": i} for i in range(n)])


def _tuples(chain: list[Entry]) -> list[tuple[int, dict[str, object], str]]:
    return [(e.seq, dict(e.fields), e.stored_hash) for e in chain]


def test_canonical_form_is_sorted_compact_json_and_key_order_does_not_matter() -> None:
    assert canonical("ab", {"b": 1, "a": "æ"}) == '{"fields":{"a":"æ","b":1},"prev":"ab"}'.encode()
    assert entry_hash("x", {"a": 1, "b": 2}) == entry_hash("x", {"b": 2, "a": 1})
    assert len(entry_hash(GENESIS_HASH, {})) == 64


def test_intact_chain_verifies_and_reports_head() -> None:
    chain = _chain()
    result = verify(chain)
    assert result.ok and result.first_bad_seq is None
    assert result.checked == 6
    assert result.head_hash == chain[-1].stored_hash
    assert verify(_tuples(chain)).ok
    assert verify([]).ok


def test_first_entry_links_to_genesis() -> None:
    first = append([], {"event": "login"})
    assert first.seq == 1
    assert first.stored_hash == entry_hash(GENESIS_HASH, {"event": "login"})


def test_edited_entry_is_named() -> None:
    rows = _tuples(_chain())
    rows[3][1]["user"] = "mallory"
    result = verify(rows)
    assert not result.ok
    assert result.first_bad_seq == 4
    assert "does not match its hash" in result.reason
    assert result.checked == 3


def test_edit_with_recomputed_hash_breaks_the_next_link() -> None:
    rows = _tuples(_chain())
    rows[2][1]["user"] = "mallory"
    rows[2] = (3, rows[2][1], entry_hash(rows[1][2], rows[2][1]))
    result = verify(rows)
    assert result.first_bad_seq == 4


def test_edit_with_whole_tail_rewritten_is_caught_by_an_anchor() -> None:
    chain = _chain()
    anchor = {6: chain[-1].stored_hash}
    forged = build([{**e.fields, "user": "mallory"} if e.seq == 2 else e.fields for e in chain])
    assert verify(forged).ok  # a chain alone cannot tell
    result = verify(forged, anchors=anchor)
    assert not result.ok and result.first_bad_seq == 6


def test_deleted_entry_is_named() -> None:
    rows = _tuples(_chain())
    del rows[2]
    result = verify(rows)
    assert not result.ok
    assert result.first_bad_seq == 3
    assert "missing" in result.reason


def test_deleted_and_renumbered_entries_are_named() -> None:
    rows = _tuples(_chain())
    del rows[2]
    rows = [(i + 1, fields, stored) for i, (_seq, fields, stored) in enumerate(rows)]
    result = verify(rows)
    assert result.first_bad_seq == 3


def test_reordered_entries_are_named() -> None:
    rows = _tuples(_chain())
    rows[2], rows[3] = rows[3], rows[2]
    result = verify(rows)
    assert result.first_bad_seq == 3
    assert "out of order" in result.reason


def test_reordered_and_renumbered_entries_are_named() -> None:
    rows = _tuples(_chain())
    rows[2], rows[3] = (3, rows[3][1], rows[3][2]), (4, rows[2][1], rows[2][2])
    result = verify(rows)
    assert result.first_bad_seq == 3


def test_inserted_entry_is_named() -> None:
    rows = _tuples(_chain())
    forged = (3, {"event": "download", "user": "mallory"}, entry_hash(rows[1][2], {"event": "x"}))
    rows.insert(2, forged)
    rows = [(i + 1, fields, stored) for i, (_seq, fields, stored) in enumerate(rows)]
    assert verify(rows).first_bad_seq == 3


def test_inserted_entry_with_valid_hash_breaks_the_next_link() -> None:
    rows = _tuples(_chain())
    fields = {"event": "download", "user": "mallory"}
    rows.insert(2, (3, fields, entry_hash(rows[1][2], fields)))
    rows = [(i + 1, f, stored) for i, (_seq, f, stored) in enumerate(rows)]
    result = verify(rows)
    assert result.first_bad_seq == 4
    assert "different entry" in result.reason


def test_duplicated_sequence_number_is_named() -> None:
    rows = _tuples(_chain())
    rows.insert(3, rows[2])
    result = verify(rows)
    assert result.first_bad_seq == 4
    assert "appears again" in result.reason


def test_truncation_is_caught_only_with_a_count_or_anchor() -> None:
    chain = _chain()
    cut = chain[:4]
    assert verify(cut).ok
    assert verify(cut, expected_count=6).first_bad_seq == 5
    assert verify(cut, anchors={6: chain[-1].stored_hash}).first_bad_seq == 5


def test_non_json_fields_are_reported_not_raised() -> None:
    rows = _tuples(_chain(2))
    rows[1][1]["bad"] = object()
    assert verify(rows).first_bad_seq == 2
    with pytest.raises(ValueError):
        entry_hash(GENESIS_HASH, {"x": float("nan")})


def test_tail_can_be_verified_from_a_checkpoint() -> None:
    chain = _chain()
    tail = chain[3:]
    assert verify(tail, first_seq=4, prev_hash=chain[2].stored_hash).ok
    assert not verify(tail).ok


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)
fields_st = st.dictionaries(st.text(min_size=1, max_size=6), json_values, max_size=4)


@settings(max_examples=60, deadline=None)
@given(st.lists(fields_st, min_size=2, max_size=8), st.data())
def test_any_single_edit_or_deletion_is_named(
    all_fields: list[dict[str, object]], data: st.DataObject
) -> None:
    chain = build(all_fields)
    assert verify(chain).ok
    rows = _tuples(chain)
    k = data.draw(st.integers(0, len(rows) - 1))
    if data.draw(st.booleans()):
        fields = dict(rows[k][1])
        fields["__tampered__"] = True
        rows[k] = (rows[k][0], fields, rows[k][2])
        assert verify(rows).first_bad_seq == k + 1
    else:
        del rows[k]
        result = verify(rows)
        if k == len(chain) - 1:
            assert result.ok  # cutting the tail needs an anchor
            assert verify(rows, expected_count=len(chain)).first_bad_seq == k + 1
        else:
            assert result.first_bad_seq == k + 1


KEY = b"k" * 32


def test_keyed_entries_are_hmacs_that_only_the_key_verifies() -> None:
    chain = build([{"n": i} for i in range(4)], key=KEY)
    assert all(e.keyed for e in chain)
    assert (
        chain[0].stored_hash == entry_hash(GENESIS_HASH, {"n": 0}, KEY) != entry_hash(GENESIS_HASH, {"n": 0})
    )
    assert verify(chain, key=KEY).ok
    wrong = verify(chain, key=b"w" * 32)
    assert not wrong.ok and wrong.first_bad_seq == 1
    assert "the audit key is not the one" in wrong.reason
    missing = verify(chain)
    assert not missing.ok and missing.first_bad_seq == 1 and "audit key is needed" in missing.reason
    assert verify([(e.seq, e.fields, e.stored_hash, True) for e in chain], key=KEY).ok


def test_plain_entries_before_keyed_ones_verify_but_not_after() -> None:
    plain = build([{"n": 0}, {"n": 1}])
    keyed = [*plain, append(plain, {"n": 2}, KEY)]
    keyed.append(append(keyed, {"n": 3}, KEY))
    assert verify(keyed, key=KEY).ok
    assert verify(keyed, key=KEY, sealed_from=3).ok
    forged = [*keyed[:3], append(keyed[:3], {"n": 3, "forged": True})]  # rewritten without the key
    result = verify(forged, key=KEY)
    assert not result.ok and result.first_bad_seq == 4 and "plain hash after keyed entries" in result.reason


def test_an_all_plain_rewrite_is_caught_by_the_sealed_start() -> None:
    rewritten = build([{"n": i} for i in range(4)])
    assert verify(rewritten, key=KEY).ok  # indistinguishable from an old install, without a checkpoint
    result = verify(rewritten, key=KEY, sealed_from=2)
    assert not result.ok and result.first_bad_seq == 2
    assert "every entry from 2 on was keyed" in result.reason


def test_checkpoints_are_signed_with_a_key_of_their_own() -> None:
    checkpoint = sign_checkpoint(KEY, {"seq": 4, "hash": "ab" * 32, "at": "2026-12-07T12:00:00+00:00"})
    assert checkpoint_is_signed(KEY, checkpoint)
    assert not checkpoint_is_signed(b"w" * 32, checkpoint)
    assert not checkpoint_is_signed(KEY, {**checkpoint, "seq": 5})
    assert not checkpoint_is_signed(KEY, {k: v for k, v in checkpoint.items() if k != "sig"})
    assert checkpoint["sig"] != entry_hash("ab" * 32, {"seq": 4}, KEY)
