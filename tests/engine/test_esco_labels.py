from kpo.engine.esco import BOUNDARY_WEIGHTS, EscoLabeler

TEXTS = [
    "maintain financial records oversee financial records maintain financial record"
    " keep financial records Keep track of the financial documents of a business.",
    "analyse gambling data analyze gambling data analyse betting data"
    " Analyse relevant data points collected during gambling operations.",
    "software frameworks The software development environments used to make programs.",
    "technical director head of technical technical supervisor technical manager"
    " Technical directors realise the artistic visions of the creators.",
    "ICT security administrator ICT security administrators IT security administrator CISO"
    " ICT security administrators plan and carry out security measures.",
]


def labeler() -> EscoLabeler:
    return EscoLabeler(TEXTS)


def test_skill_label_stops_where_the_first_alternative_starts() -> None:
    split = labeler().split(TEXTS[0], "skill")
    assert split.preferred_label == "maintain financial records"
    assert split.alternatives.startswith("oversee financial records")


def test_skill_without_alternatives_keeps_the_whole_label() -> None:
    split = labeler().split(TEXTS[2], "skill")
    assert split.preferred_label == "software frameworks"
    assert split.alternatives == ""


def test_occupation_label_is_the_prefix_whose_plural_opens_the_definition() -> None:
    assert labeler().split(TEXTS[3], "occupation").preferred_label == "technical director"
    split = labeler().split(TEXTS[4], "occupation")
    assert split.preferred_label == "ICT security administrator"
    assert split.definition.startswith("ICT security administrators plan")


def test_a_trailing_restated_word_is_dropped() -> None:
    text = "operate steam engine operating tend steam engine Operate engines that burn coal."
    assert EscoLabeler([text]).split(text, "skill").preferred_label == "operate steam engine"


def test_empty_text() -> None:
    split = labeler().split("", "skill")
    assert (split.preferred_label, split.alternatives, split.definition) == ("", "", "")


def test_no_cut_after_a_function_word_a_comma_or_inside_brackets() -> None:
    run = [
        "browse,",
        "search",
        "and",
        "filter",
        "data",
        "of",
        "(learning",
        "management",
        "systems)",
        "Desire2Learn",
    ]
    features = labeler().boundary_features(run)
    cannot = {run.index(word) + 1 for word in ("browse,", "and", "of", "(learning", "management")}
    assert all(features[index] is None for index in cannot)
    assert features[run.index("Desire2Learn")] is not None


def test_the_first_word_again_is_a_stronger_cut_than_one_inside_the_label() -> None:
    run = TEXTS[0].split()[:13]
    cuts = labeler().boundaries(run)
    again = run.index("maintain", 1)
    inside = run.index("records")
    again_cut, inside_cut = cuts[again], cuts[inside]
    assert again_cut is not None and inside_cut is not None
    assert again_cut > inside_cut


def test_cuts_found_inside_runs_teach_label_starts() -> None:
    first_pass_only = EscoLabeler(TEXTS, first_pass_weights=None)
    taught = EscoLabeler(TEXTS)
    run = TEXTS[0].split()[:13]
    keep = run.index("keep")
    before = first_pass_only.boundaries(run, BOUNDARY_WEIGHTS)[keep]
    after = taught.boundaries(run, BOUNDARY_WEIGHTS)[keep]
    assert before is not None and after is not None
    assert after > before
