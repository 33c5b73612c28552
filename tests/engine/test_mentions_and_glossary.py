"""The pure parts of messages and glossaries: reading @mentions and finding glossary terms in a text."""

from __future__ import annotations

from kpo.engine.glossary import used_first, uses
from kpo.engine.mentions import Segment, handles_in, segments


def test_handles_are_read_once_in_order_without_case_or_closing_punctuation() -> None:
    text = "Thanks @Carol. Could @rex-2 and @carol look? Mail bob@example.com, not @ nobody; (@pete)"
    assert handles_in(text) == ["carol", "rex-2", "pete"]


def test_an_address_or_a_bare_at_sign_names_nobody() -> None:
    assert handles_in("write to bob@example.com or @ at noon; a@b") == []
    assert handles_in("") == []


def test_a_handle_may_hold_the_characters_of_a_username() -> None:
    assert handles_in("ask @anna.k_jensen+dk!") == ["anna.k_jensen+dk"]
    assert handles_in("@expert-000012 first") == ["expert-000012"]


def test_segments_mark_only_known_handles() -> None:
    parts = segments("Hi @carol and @dave, see @Carol.", {"carol"})
    assert parts == [
        Segment("Hi "),
        Segment("@carol", "carol"),
        Segment(" and @dave, see "),
        Segment("@Carol", "carol"),
        Segment("."),
    ]
    assert "".join(part.text for part in parts) == "Hi @carol and @dave, see @Carol."
    assert segments("no mentions", {"carol"}) == [Segment("no mentions")]
    assert segments("", set()) == [Segment("")]


def test_glossary_terms_are_found_as_whole_words_without_case() -> None:
    assert uses("The cut-off date is set.", "Cut-off date")
    assert uses("cut-off\n  date", "cut-off date")
    assert not uses("The cut-offs date", "cut-off")
    assert not uses("anything", "   ")
    assert uses("Risiko (PD) er høj", "PD")


def test_used_terms_come_first_in_their_order() -> None:
    items = [("alpha", "a"), ("beta", "b"), ("gamma", "g")]
    ordered = used_first("We use Gamma and beta here.", items, lambda item: item)
    assert ordered == [(("beta", "b"), True), (("gamma", "g"), True), (("alpha", "a"), False)]
