"""The block tags of the kpo template library: table, plain_list and postform."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context: object) -> str:
    return re.sub(r"\s+", " ", Template("{% load kpo %}" + source).render(Context(context))).strip()


def test_table_wraps_its_rows_with_a_hidden_caption() -> None:
    html = render('{% table _("Tasks") %}<tbody><tr><td>1</td></tr></tbody>{% endtable %}')
    assert html == (
        '<div class="table-wrap"> <table> <caption class="visually-hidden">Tasks</caption> '
        "<tbody><tr><td>1</td></tr></tbody> </table> </div>"
    )


def test_table_without_rows_shows_the_empty_note_escaped() -> None:
    source = '{% table "T" rows=items empty=note %}<tbody></tbody>{% endtable %}'
    assert render(source, items=[], note="None <yet>") == '<p class="empty">None &lt;yet&gt;</p>'
    assert render(source, items=[], note="") == ""
    assert "<table>" in render(source, items=[1], note="x")


def test_table_caption_is_escaped_and_may_be_left_out() -> None:
    assert '<caption class="visually-hidden">a &amp; b</caption>' in render(
        "{% table caption %}{% endtable %}", caption="a & b"
    )
    assert "<caption" not in render('{% table "" %}{% endtable %}')


def test_table_class_styles_the_table() -> None:
    assert '<table class="sla-table">' in render('{% table "" class="sla-table" %}{% endtable %}')


def test_plain_list_is_a_list_or_its_empty_note() -> None:
    source = (
        '{% plain_list rows=items empty=_("Nothing.") %}'
        "{% for i in items %}<li>{{ i }}</li>{% endfor %}{% endplain_list %}"
    )
    assert render(source, items=[1, 2]) == '<ul class="plain-list"> <li>1</li><li>2</li> </ul>'
    assert render(source, items=[]) == '<p class="empty">Nothing.</p>'


class NameForm(forms.Form):
    name = forms.CharField()

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("Not today.")


def test_postform_posts_with_csrf_errors_and_a_submit_button() -> None:
    form = NameForm(data={"name": "x"})
    html = render(
        '{% postform form action=url multipart=True submit=_("Save") %}<input name="name">{% endpostform %}',
        form=form,
        url="/save/",
        csrf_token="TOKEN",
    )
    assert html.startswith('<form method="post" action="/save/" enctype="multipart/form-data" novalidate>')
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">' in html
    assert "Not today." in html
    assert html.endswith('<button type="submit" class="btn btn-primary">Save</button> </form>')


def test_postform_defaults_to_the_page_itself_and_the_body_s_own_buttons() -> None:
    html = render("{% postform form %}<button>Go</button>{% endpostform %}", form=NameForm(), csrf_token="T")
    assert html.startswith('<form method="post" novalidate>')
    assert "btn-primary" not in html and "form-errors" not in html


def test_postform_cancel_puts_a_cancel_link_beside_a_danger_button() -> None:
    html = render(
        '{% postform form submit=_("Open dispute") danger=True cancel=back %}{% endpostform %}',
        form=NameForm(),
        back="/tasks/1/",
        csrf_token="T",
    )
    assert html.endswith(
        '<div class="form-actions"> <button type="submit" class="btn btn-danger">Open dispute</button> '
        '<a href="/tasks/1/">Cancel</a></div> </form>'
    )


def test_postform_fold_hides_the_form_under_a_summary_unless_it_has_errors() -> None:
    source = '{% postform form fold=_("Add one") %}{% endpostform %}'
    closed = render(source, form=NameForm(), csrf_token="T")
    assert closed.startswith('<details class="add-form"> <summary>Add one</summary> <form method="post"')
    assert closed.endswith("</form> </details>")
    opened = render(source, form=NameForm(data={"name": "x"}), csrf_token="T")
    assert opened.startswith('<details class="add-form" open>')


@pytest.mark.parametrize(
    "source",
    [
        "{% table %}{% endtable %}",
        '{% table "c" colour="red" %}{% endtable %}',
        '{% plain_list "positional" %}{% endplain_list %}',
        "{% postform form method=get %}{% endpostform %}",
    ],
)
def test_the_block_tags_refuse_unknown_arguments(source: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% load kpo %}" + source)
