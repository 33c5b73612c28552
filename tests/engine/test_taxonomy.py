from kpo.engine.taxonomy import cefr_meets, degree_meets


def test_degree_order() -> None:
    assert degree_meets("phd", "master")
    assert degree_meets("professional", "phd")
    assert not degree_meets("bachelor", "master")
    assert degree_meets("bachelor", None)


def test_cefr_order() -> None:
    assert cefr_meets("native", "C2")
    assert not cefr_meets("B1", "B2")
