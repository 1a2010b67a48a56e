"""Notebook page markup made valid (analysis.report.markup), on small pages made in the test."""
from analysis.report import markup

PAGE = ('<html><head><title>t</title></head><body><div><style scoped="">.a{}</style><table><thead><tr><th></th>'
        '<th scope="col">b</th></tr></thead><tbody><tr><th valign="top">x</th><td>1</td></tr></tbody></table>'
        '<style scoped="">.a{}</style></div></body></html>')


def test_styles_move_to_the_head_once_and_header_cells_get_a_scope():
    page = markup.clean(PAGE)
    head, body = page.split("<body>")
    assert head.count("<style>.a{}</style>") == 1 and "<style" not in body
    assert '<thead><tr><th scope="col"></th><th scope="col">b</th></tr></thead>' in body  # an existing scope is kept
    assert '<tbody><tr><th scope="row">x</th>' in body and "valign" not in body


def test_cleaning_is_idempotent_and_leaves_valid_markup_alone():
    once = markup.clean(PAGE)
    assert markup.clean(once) == once
    valid = '<html><head></head><body><table><thead><tr><th scope="col">a</th></tr></thead></table></body></html>'
    assert markup.clean(valid) == valid
    assert markup.clean("<p>no head or body</p>") == "<p>no head or body</p>"


def test_valign_goes_from_table_tags_only_not_from_text_that_reads_like_it():
    page = ('<html><head></head><body><p>set valign="top" by hand</p><table><tr valign="top">'
            '<TD VALIGN=middle>1</TD><th  valign=\'top\' class="x">a</th></tr></table></body></html>')
    cleaned = markup.clean(page)
    assert '<p>set valign="top" by hand</p>' in cleaned
    assert '<tr>' in cleaned and '<TD>1</TD>' in cleaned and '<th scope="row" class="x">a</th>' in cleaned
    assert markup.clean(cleaned) == cleaned
