from kpo.engine.esco import preferred_label
from kpo.engine.taxonomy import cefr_meets, degree_meets


def test_degree_order() -> None:
    assert degree_meets("phd", "master")
    assert degree_meets("professional", "phd")
    assert not degree_meets("bachelor", "master")
    assert degree_meets("bachelor", None)


def test_cefr_order() -> None:
    assert cefr_meets("native", "C2")
    assert not cefr_meets("B1", "B2")


def test_esco_label_recovers_the_preferred_label() -> None:
    text = (
        "operate rubber mixing machine rubber mixing machine operating Operate a machine that mixes rubber."
    )
    assert preferred_label(text) == "operate rubber mixing machine"
    assert (
        preferred_label("monitor roasting monitor roasting supervise coffee roasting Watch it.")
        == "monitor roasting"
    )
    assert preferred_label("") == ""
