"""Filters: v1 and v2 endpoints (exact requests, parsed results) and client-side filters_apply."""

import datetime
import html

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from helpers import assert_sent, fixture_body
from server import Response

from mastodon.errors import MastodonIllegalArgumentError, MastodonVersionError
from mastodon.types_base import AttribAccessDict, AttribAccessList

UTC = datetime.timezone.utc
FILTER = {"id": "3", "phrase": "spam", "context": ["home", "public"], "whole_word": True,
          "expires_at": "2026-09-01T00:00:00.000Z", "irreversible": False}


# --- v1 endpoints -------------------------------------------------------------------------------

def test_filters(api, server):
    server.route("GET", "/api/v1/filters", Response(200, [FILTER]))
    filters = api.filters()
    assert_sent(server, "GET", "/api/v1/filters")
    assert filters[0].id == 3 and filters[0].context == ["home", "public"]
    assert filters[0].expires_at == datetime.datetime(2026, 9, 1, tzinfo=UTC)


def test_filter(api, server):
    server.route("GET", "/api/v1/filters/3", Response(200, FILTER))
    assert api.filter({"id": 3}).phrase == "spam"
    assert server.last.path == "/api/v1/filters/3"


@pytest.mark.parametrize("kwargs, form", [
    (dict(phrase="spam", context=["home", "thread"]),
     [("phrase", "spam"), ("irreversible", "0"), ("whole_word", "1"), ("context[]", "home"), ("context[]", "thread")]),
    (dict(phrase="a b", context=["notifications"], irreversible=True, whole_word=False, expires_in=3600),
     [("phrase", "a b"), ("irreversible", "1"), ("whole_word", "0"), ("expires_in", "3600"),
      ("context[]", "notifications")]),
    # Fixed: 'account' (a context since Mastodon 3.1) is accepted, a bare string is one context.
    (dict(phrase="x", context=["account", "public"]),
     [("phrase", "x"), ("irreversible", "0"), ("whole_word", "1"), ("context[]", "account"), ("context[]", "public")]),
    (dict(phrase="x", context="home"),
     [("phrase", "x"), ("irreversible", "0"), ("whole_word", "1"), ("context[]", "home")]),
])
def test_filter_create(api, server, kwargs, form):
    server.route("POST", "/api/v1/filters", Response(200, FILTER))
    created = api.filter_create(**kwargs)
    assert (server.last.method, server.last.path, server.last.form) == ("POST", "/api/v1/filters", form)
    assert created.id == 3 and created.whole_word is True


@pytest.mark.parametrize("context", [["home", "timeline"], ["HOME"], "everywhere"])
def test_filter_create_rejects_unknown_context_before_sending(api, server, context):
    with pytest.raises(MastodonIllegalArgumentError, match="context"):
        api.filter_create("spam", context)
    assert server.requests == []


def test_filter_update_sends_only_given(api, server):
    server.route("PUT", "/api/v1/filters/3", Response(200, FILTER))
    api.filter_update({"id": 3}, phrase="eggs", context=["home"], whole_word=False)
    assert server.last.form == [("phrase", "eggs"), ("whole_word", "0"), ("context[]", "home")]
    api.filter_update(3)
    assert server.last.body == b""


def test_filter_delete(api, server):
    server.route("DELETE", "/api/v1/filters/3", Response(200, {}))
    assert api.filter_delete(3) is None
    assert (server.last.method, server.last.path) == ("DELETE", "/api/v1/filters/3")


def test_filters_need_2_4_3(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="2.4.2").filters()
    assert server.requests == []


# --- v2 endpoints -------------------------------------------------------------------------------

def test_filters_v2_and_filter_v2(api, server):
    body = fixture_body("GET_api_v2_filters_id_200")
    server.route("GET", "/api/v2/filters", Response(200, [body]))
    server.fixture("GET_api_v2_filters_id_200", path="/api/v2/filters/1")
    listed = api.filters_v2()
    assert server.last.path == "/api/v2/filters" and listed[0].id == 1
    one = api.filter_v2({"id": 1})
    assert server.last.path == "/api/v2/filters/1"
    assert one.title == "Test Filter" and one.keywords[0].id == 1 and one.keywords[0].keyword == "spam"


def test_create_filter_v2_json(api, server):
    server.fixture("POST_api_v2_filters_200")
    created = api.create_filter_v2("Test Filter", ["home", "public"], "warn", expires_in=600,
                                   keywords_attributes=[{"keyword": "spam", "whole_word": True}])
    assert (server.last.method, server.last.path, server.last.content_type) == ("POST", "/api/v2/filters",
                                                                                "application/json")
    assert server.last.json == {"title": "Test Filter", "context": ["home", "public"], "filter_action": "warn",
                                "expires_in": 600, "keywords_attributes": [{"keyword": "spam", "whole_word": True}]}
    assert created.id == 1 and created.filter_action == "warn"


def test_update_filter_v2_json_includes_filter_id(api, server):
    server.fixture("PUT_api_v2_filters_id_200", path="/api/v2/filters/1")
    updated = api.update_filter_v2({"id": 1}, title="Updated Title", filter_action="hide",
                                   keywords_attributes=[{"id": 2, "_destroy": True}])
    assert (server.last.method, server.last.path) == ("PUT", "/api/v2/filters/1")
    assert server.last.json == {"filter_id": 1, "title": "Updated Title", "filter_action": "hide",
                                "keywords_attributes": [{"id": 2, "_destroy": True}]}
    assert updated.title == "Updated Title"


def test_delete_filter_v2(api, server):
    server.fixture("DELETE_api_v2_filters_id_200", path="/api/v2/filters/1")
    assert api.delete_filter_v2(1) is None
    assert (server.last.method, server.last.path) == ("DELETE", "/api/v2/filters/1")


def test_filter_keywords_v2_and_add_delete(api, server):
    server.fixture("GET_api_v2_filters_id_keywords_200", path="/api/v2/filters/1/keywords")
    server.fixture("POST_api_v2_filters_id_keywords_200", path="/api/v2/filters/1/keywords")
    server.fixture("DELETE_api_v2_filters_keywords_id_200", path="/api/v2/filters/keywords/3")
    keywords = api.filter_keywords_v2({"id": 1})
    assert [k.keyword for k in keywords][:2] == ["spam", "eggs"] and keywords[1].whole_word is False
    added = api.add_filter_keyword_v2({"id": 1}, "foo", whole_word=True)
    assert (server.last.method, server.last.form) == ("POST", [("filter_id", "1"), ("keyword", "foo"),
                                                               ("whole_word", "1")])
    assert added.id == 3
    api.add_filter_keyword_v2(1, "bar")
    assert server.last.form[-1] == ("whole_word", "0")
    assert api.delete_filter_keyword_v2({"id": 3}) is None
    assert (server.last.method, server.last.path) == ("DELETE", "/api/v2/filters/keywords/3")


def test_filter_statuses_v2_add_get_delete(api, server):
    server.fixture("GET_api_v2_filters_id_statuses_200", path="/api/v2/filters/1/statuses")
    server.fixture("POST_api_v2_filters_id_statuses_200", path="/api/v2/filters/1/statuses")
    server.fixture("GET_api_v2_filters_statuses_id_200", path="/api/v2/filters/statuses/1")
    server.fixture("DELETE_api_v2_filters_statuses_id_200", path="/api/v2/filters/statuses/1")
    assert api.filter_statuses_v2(1)[0].status_id == "117020574027322654"
    added = api.add_filter_status_v2(1, {"id": 117020574027322654})
    assert server.last.form == [("status_id", "117020574027322654")]
    assert added.id == 1
    assert api.filter_status_v2({"id": 1}).status_id == "117020574027322654"
    assert server.last.path == "/api/v2/filters/statuses/1"
    assert api.delete_filter_status_v2(1) is None
    assert (server.last.method, server.last.path) == ("DELETE", "/api/v2/filters/statuses/1")


def test_v2_filters_need_4_0(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="3.5.5").filters_v2()
    assert server.requests == []


# --- filters_apply ------------------------------------------------------------------------------

def status(content, **extra):
    return AttribAccessDict(id=extra.pop("id", 1), content=content, spoiler_text=extra.pop("spoiler_text", ""),
                            reblog=extra.pop("reblog", None), **extra)


def flt(phrase, whole_word=True, context=("home", "notifications", "public", "thread", "account")):
    return AttribAccessDict(id=1, phrase=phrase, whole_word=whole_word, context=list(context))


@pytest.mark.parametrize("phrase, whole_word, content, hidden", [
    ("cat", True, "<p>concatenate</p>", False),
    ("cat", False, "<p>concatenate</p>", True),
    ("cat", True, "<p>my CAT!</p>", True),
    ("c++", True, "<p>I write c++ daily</p>", True),
    ("c++", True, "<p>I write c+++ daily</p>", True),
    ("c++", True, "<p>I write cc++ daily</p>", False),
    ("#tag", True, '<p>hi <a href="x" class="hashtag">#<span>tag</span></a></p>', True),
    ("#tag", True, "<p>hi #tagged</p>", False),
    ("a.b", False, "<p>axb</p>", False),
    ("a.b", False, "<p>a.b</p>", True),
    ("(", False, "<p>smile (</p>", True),
    ("x|y", False, "<p>x</p>", False),
    ("[abc]", True, "<p>b</p>", False),
    ("<3", True, "<p>I &lt;3 you</p>", True),
    ("foo bar", True, "<p>foo</p><p>bar</p>", True),
    ("foo bar", True, "<p>foo<br>bar</p>", True),
    ("foo", True, "<p>x</p>", False),
    ("élan", True, "<p>with ÉLAN</p>", True),
    ("élan", True, "<p>withélan</p>", False),
])
def test_filters_apply_phrase_matching(api, server, phrase, whole_word, content, hidden):
    kept = api.filters_apply([status(content)], [flt(phrase, whole_word)], "home")
    assert kept == ([] if hidden else [status(content)])
    assert server.requests == []


def test_filters_apply_respects_context(api):
    statuses = [status("<p>spam here</p>", id=1), status("<p>ham</p>", id=2)]
    home_only = [flt("spam", context=["home"])]
    assert [s.id for s in api.filters_apply(statuses, home_only, "home")] == [2]
    for context in ("public", "notifications", "thread", "account"):
        assert [s.id for s in api.filters_apply(statuses, home_only, context)] == [1, 2]


def test_filters_apply_without_applicable_filter_keeps_everything(api):
    # 1.8.1 returned [] here (an empty pattern matched everything): fixed.
    statuses = [status("<p>a</p>", id=1), status("<p>b</p>", id=2)]
    assert api.filters_apply(statuses, [], "home") == statuses
    assert api.filters_apply(statuses, [flt("a", context=["public"])], "home") == statuses
    assert api.filters_apply(statuses, [flt("", context=["home"])], "home") == statuses


def test_filters_apply_notifications_and_reblogs_and_content_warnings(api):
    objects = [
        AttribAccessDict(id=1, type="mention", status=status("<p>spam</p>")),
        AttribAccessDict(id=2, type="follow"),
        AttribAccessDict(id=3, type="follow", status=None),
        AttribAccessDict(id=4, type="favourite", status=status("<p>fine</p>")),
        status("", id=5, reblog=status("<p>boosted spam</p>")),
        status("<p>innocent</p>", id=6, spoiler_text="spam inside"),
    ]
    kept = api.filters_apply(objects, [flt("spam")], "notifications")
    assert [o.id for o in kept] == [2, 3, 4]


def test_filters_apply_keeps_page_pagination_and_returns_new_list(api):
    page = AttribAccessList([status("<p>spam</p>", id=1), status("<p>ok</p>", id=2)])
    page._pagination_next = {"max_id": 2}
    kept = api.filters_apply(page, [flt("spam")], "home")
    assert isinstance(kept, AttribAccessList) and kept._pagination_next == {"max_id": 2}
    assert [s.id for s in kept] == [2] and len(page) == 2
    plain = [status("<p>ok</p>")]
    assert api.filters_apply(plain, [], "home") is not plain


def test_filters_apply_is_version_checked_locally(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="2.4.2").filters_apply([], [], "home")
    assert server.requests == []


# A straightforward reference: strip tags by scanning, decode entities, collapse whitespace and
# look for the phrase at every position, checking word boundaries by hand.

def _is_word(char):
    return char.isalnum() or char == "_"


BLOCK_TAGS = {"p", "br", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


def _reference_tag_is_block(tag):
    tag = tag.lstrip()
    if tag.startswith("/"):
        tag = tag[1:].lstrip()
    name = ""
    for char in tag:
        if char.isspace() or char == "/":
            break
        name += char
    return name.lower() in BLOCK_TAGS


def _reference_text(content):
    """Every "<" that has a later ">" starts a tag running to that ">": a block tag becomes a
    space, any other tag disappears."""
    content, out, i = content or "", [], 0
    while i < len(content):
        end = content.find(">", i) if content[i] == "<" else -1
        if end != -1:
            out.append(" " if _reference_tag_is_block(content[i + 1:end]) else "")
            i = end + 1
        else:
            out.append(content[i])
            i += 1
    return " ".join(html.unescape("".join(out)).split())


def _reference_matches(text, phrase, whole_word):
    low_text, low_phrase, n = text.lower(), phrase.lower(), len(phrase)
    for i in range(len(text) - n + 1):
        if low_text[i:i + n] != low_phrase:
            continue
        if whole_word:
            if _is_word(phrase[0]) and i > 0 and _is_word(text[i - 1]):
                continue
            if _is_word(phrase[-1]) and i + n < len(text) and _is_word(text[i + n]):
                continue
        return True
    return False


def reference_filters_apply(objects, filters, context):
    active = [f for f in filters if f["phrase"] and context in f["context"]]
    kept = []
    for obj in objects:
        current = obj["status"] if "status" in obj else obj
        hidden = False
        while current is not None:
            for field in ("content", "spoiler_text"):
                text = _reference_text(current.get(field))
                if any(_reference_matches(text, f["phrase"], f["whole_word"]) for f in active):
                    hidden = True
            current = current.get("reblog")
        if not hidden:
            kept.append(obj)
    return kept


# Small vocabularies make phrases and texts collide often; random text covers the rest.
VOCABULARY = ["cat", "CAT", "concat", "cats", "c++", "c+", "a.b", "axb", "#tag", "#", "tag", "(", ")", "x|y", "x",
              "y", "[ab]", "b", "é", "É", "_a", "a_", "a", "1", "é1", "a*", "aa", "\\", "$", "^", "-", "'", "@me",
              "?"]
SEPARATORS = [" ", "", "\n", ".", ",", "-", "_", "+"]
ALPHABET = "abcAB12_ .,+*?()[]{}|^$\\#@-'é\n"
random_words = st.text(alphabet=ALPHABET, min_size=0, max_size=6)
words = st.one_of(st.sampled_from(VOCABULARY), random_words)
phrases = st.one_of(
    st.sampled_from(VOCABULARY),
    st.builds(lambda a, sep, b: a + sep + b, st.sampled_from(VOCABULARY), st.sampled_from([" ", "", "-"]),
              st.sampled_from(VOCABULARY)),
    random_words)
contexts = st.sampled_from(["home", "notifications", "public", "thread", "account"])
filters_strategy = st.lists(st.fixed_dictionaries({
    "phrase": phrases, "whole_word": st.booleans(), "context": st.lists(contexts, max_size=3)}), max_size=3)


@st.composite
def html_content(draw):
    pieces = draw(st.lists(st.one_of(words, st.sampled_from(SEPARATORS), st.sampled_from(
        ["<p>", "</p>", "<br>", "<br />", '<a href="https://x/y?a=1&amp;b">', "</a>", "&amp;", "&lt;", "&gt;",
         "&#39;", "<span class=\"h-card\">", "</span>", "<P>", "</pre>", "<h1>", "< br/>", "<p<br>", "<", ">",
         "#<span>", "<h12>", "<brx>", "</ p >"])), max_size=14))
    return "".join(pieces)


@st.composite
def objects_strategy(draw):
    result = []
    for index in range(draw(st.integers(min_value=0, max_value=5))):
        inner = {"id": index, "content": draw(html_content()), "spoiler_text": draw(words), "reblog": None}
        if draw(st.booleans()):
            inner = {"id": index, "content": "", "spoiler_text": "", "reblog": inner}
        kind = draw(st.sampled_from(["status", "notification", "empty-notification"]))
        if kind == "status":
            result.append(AttribAccessDict(inner))
        elif kind == "notification":
            result.append(AttribAccessDict(id=index, type="mention", status=AttribAccessDict(inner)))
        else:
            result.append(AttribAccessDict(id=index, type="follow", status=None))
    return result


@st.composite
def filtering_case(draw):
    """Objects, a context and filters whose phrases are often cut out of the objects' own text
    (so matches, near-misses at word boundaries and case differences are common)."""
    objects = draw(objects_strategy())
    context = draw(contexts)
    texts = [t for obj in objects for t in _reference_texts(obj) if t]
    filters = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        if texts and draw(st.booleans()):
            text = draw(st.sampled_from(texts))
            start = draw(st.integers(min_value=0, max_value=len(text) - 1))
            stop = draw(st.integers(min_value=start + 1, max_value=min(len(text), start + 8)))
            phrase = text[start:stop]
            if draw(st.booleans()):
                phrase = phrase.swapcase()
        else:
            phrase = draw(phrases)
        filter_contexts = draw(st.lists(contexts, max_size=3))
        if draw(st.integers(min_value=0, max_value=3)):
            filter_contexts.append(context)
        filters.append(AttribAccessDict(phrase=phrase, whole_word=draw(st.booleans()), context=filter_contexts))
    return objects, filters, context


def _reference_texts(obj):
    current, texts = (obj["status"] if "status" in obj else obj), []
    while current is not None:
        texts += [_reference_text(current.get("content")), _reference_text(current.get("spoiler_text"))]
        current = current.get("reblog")
    return texts


def test_filter_keyword_v2_and_its_update(server, api):
    keyword = fixture_body("GET_api_v2_filters_id_keywords_200")[0]
    server.route("GET", "/api/v2/filters/keywords/1", body=keyword)
    server.route("PUT", "/api/v2/filters/keywords/1", body=dict(keyword, keyword="ham", whole_word=False))
    result = api.filter_keyword_v2({"id": 1, "keyword": "spam"})
    assert_sent(server, "GET", "/api/v2/filters/keywords/1")
    assert (result.id, result.keyword, result.whole_word) == (1, "spam", True)
    server.clear()
    result = api.update_filter_keyword_v2(1, keyword="ham", whole_word=False)
    assert_sent(server, "PUT", "/api/v2/filters/keywords/1", form=[("keyword", "ham"), ("whole_word", "0")])
    assert (result.keyword, result.whole_word) == ("ham", False)
    server.clear()
    api.update_filter_keyword_v2(1, whole_word=True)
    assert_sent(server, "PUT", "/api/v2/filters/keywords/1", form=[("whole_word", "1")])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=filtering_case())
def test_filters_apply_matches_reference(api, case):
    objects, filters, context = case
    assert api.filters_apply(objects, filters, context) == reference_filters_apply(objects, filters, context)
