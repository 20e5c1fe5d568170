from lib.markdown import render_markdown


def test_markdown_is_rendered_to_html():
    html = render_markdown("Une **coopération** :\n\n- GME\n- PTCE")
    assert "<strong>coopération</strong>" in html
    assert "<li>GME</li>" in html


def test_a_script_never_survives_sanitising():
    html = render_markdown("Bonjour <script>alert('x')</script> et <img src=x onerror=alert(1)>")
    assert "<script" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert "Bonjour" in html


def test_javascript_links_are_dropped_and_external_links_are_marked():
    html = render_markdown("[piège](javascript:alert(1)) et [Avise](https://www.avise.org)")
    assert "javascript:" not in html
    assert 'href="https://www.avise.org"' in html
    assert "noopener" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""


def test_a_list_right_after_a_paragraph_line_is_still_a_list():
    html = render_markdown(
        "Ce que chacun apporte :\n- la commune, des terres ;\n  et des locaux ;\n- l'ACI, des salariés."
    )
    assert "<p>Ce que chacun apporte :</p>" in html
    assert html.count("<li>") == 2
    assert "et des locaux" in html


def test_a_dash_inside_a_sentence_is_left_alone():
    assert "<li>" not in render_markdown("Un chantier - le plus ancien - du territoire.")


def test_a_text_never_sees_the_link_references_of_the_text_rendered_before_it():
    # The converter is reused from one text to the next; what one text defines must not leak.
    assert 'href="https://www.avise.org"' in render_markdown("[Avise][a]\n\n[a]: https://www.avise.org")
    assert "href" not in render_markdown("[Avise][a]")
