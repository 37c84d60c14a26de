"""``get_status_length`` counts as Mastodon's ``StatusLengthValidator`` does.

Each expected length is derived by hand from the grammar Mastodon finds links with (twitter-text
3.1's valid URL with Mastodon's changes, see ``mastodon/_status_length.py``):

* a match is a preceding character (not an ASCII letter or digit, ``@ $ #``; or the start of a
  line), an optional protocol, a host, an optional ``:port`` of digits, an optional path and an
  optional query; only matches *with* a protocol are links (Mastodon passes
  ``extract_url_without_protocol: false``), and a link counts 23 characters;
* a host is labels of domain characters (no ASCII punctuation) joined by dots, ending in a known
  top-level domain or ``xn--`` punycode, and IDNA (libidn) must be able to encode it;
* a path runs over everything but white space, ``< > ( ) ?`` and unbalanced parentheses, and
  ends at its last character that may end a path (not ``! * " ' ; : = , . $ % [ ] ~ & | @ { }``);
* a remote mention ``@user@domain`` counts as ``@user``; everything else counts one per grapheme.
"""

import pytest
from hypothesis import given, settings, strategies as st

from mastodon import Mastodon
from mastodon._status_length import countable_text

length = Mastodon.get_status_length
LINK = 23


# --- user info -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # After "https://" the host must start with a label followed by ".": "user" runs into ":",
    # so there is no host. Later starts fail too: "//user", "pass@..." end in ":" or "@", and
    # "example.com" is preceded by "@", which may not precede a link. Nothing is a link:
    # 8 ("https://") + 10 ("user:pass@") + 12 ("example.com/") = 30.
    ("https://user:pass@example.com/", 30),
    ("login at https://user:pass@example.com/ now", 9 + 30 + 4),
    # The same without a password: "user" runs into "@". 8 + 5 + 11 = 24.
    ("https://user@example.com", 24),
    # "@example.com" is no mention either: a mention may not follow a word character ("s").
    ("https://pass@example.com/x and @bob", 8 + 5 + 13 + 5 + 4),
])
def test_urls_with_user_info_are_no_links(text, expected):
    assert length(text) == expected


# --- ports -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # host "example.com", port "8080", path "/path": one link.
    ("https://example.com:8080/path", LINK),
    # A port is digits; "." may not end anything, so it stays outside: 23 + 1.
    ("https://example.com:8080.", LINK + 1),
    # ":" without digits is no port: the link ends after the host and ":/path" counts 6.
    ("https://example.com:/path", LINK + 6),
    # ":http" neither: 23 + 5.
    ("https://example.com:http", LINK + 5),
    ("see https://example.com:443/a?b=c#d there", 4 + LINK + 6),
])
def test_urls_with_ports(text, expected):
    assert length(text) == expected


# --- IP literals ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # twitter-text has no IP hosts: "127.0.0.1" would need "1" to be a top-level domain. No link,
    # every character counts: 7 ("http://") + 9 + 6 ("/admin") = 22.
    ("http://127.0.0.1/admin", 22),
    ("http://10.0.0.8:8080/status/42", 7 + 8 + 5 + 10),
    # "[" is no domain character, so a bracketed IPv6 host is no host: 7 + 5 + 5 + 2 = 19.
    ("http://[::1]:8080/x", 19),
    ("https://[2001:db8::1]/", 8 + 13 + 1),
])
def test_ip_literal_hosts_are_no_links(text, expected):
    assert length(text) == expected


# --- internationalised hosts, non-ASCII paths -----------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # "例え" is a label of domain characters, "jp" a top-level domain, IDNA encodes the host
    # (xn--r8jz45g.jp); Mastodon's path takes any character but white space, <, >, (, ), ?:
    # the whole of "/パス" is path.
    ("https://例え.jp/パス", LINK),
    # "。" and "次" are path characters too, and "次" may end a path: still one link.
    ("https://例え.jp/パス。次", LINK),
    ("Siehe https://münchen.de/straße, danke", 6 + LINK + 1 + 6),
    # "テスト" is no top-level domain twitter-text 3.1 knows: no host, no link. 8 + 2 + 1 + 3 + 3.
    ("https://例え.テスト/パス", 17),
    # "みんな" is one: the link is the host and the path.
    ("https://日本.みんな/ページ", LINK),
    # 🍕 is not assigned in Unicode 3.2, and libidn's ToASCII refuses unassigned code points: no
    # link. 8 + 1 + 4 (".ws/") = 13.
    ("https://🍕.ws/", 13),
])
def test_internationalised_hosts_and_paths(text, expected):
    assert length(text) == expected


# --- punctuation after a link ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # "(" may precede a link; ")" is no path character outside a balanced group, so the path is
    # "/path" and ")." count: 5 ("(see ") + 23 + 2.
    ("(see https://example.com/path).", 5 + LINK + 2),
    # The balanced "(bar)" belongs to the path; the last ")" does not: 1 + 23 + 1.
    ("(https://en.wikipedia.org/wiki/Foo_(bar))", 1 + LINK + 1),
    # A path may end with a balanced group; "!" may not end one: 23 + 1.
    ("https://example.com/a_(b)!", LINK + 1),
    # "." and "," may not end a path: "(link: " 7 + 23 + ".), " 4 + "ok" 2.
    ("(link: https://example.com/a/b.), ok", 7 + LINK + 4 + 2),
    # A query ends at its last a-z 0-9 _ & = # / - : the final "." stays outside.
    ("https://example.com/path?q=1&r=2.", LINK + 1),
    # "?" with nothing that may end a query is no query.
    ("(https://example.com/p?)", 1 + LINK + 2),
])
def test_punctuation_after_links_is_counted(text, expected):
    assert length(text) == expected


# --- a longer mixed text -------------------------------------------------------------------------

def test_a_longer_mixed_text():
    text = ("Hallo @alice@example.social! Neues Release: https://example.org/releases/v2.0 "
            "(Changelog: https://example.org/changelog#v2). Kein Link: user@example.com, "
            "10.0.0.1:8080 oder example.net. \U0001f389\U0001f469\u200d\U0001f4bb")
    expected = (
        6           # "Hallo "
        + 6         # "@alice@example.social" counts as "@alice"
        + 17        # "! Neues Release: "
        + LINK      # the path "/releases/v2.0" ends with "0", which may end a path
        + 13        # " (Changelog: "
        + LINK      # "#" is a path character: "/changelog#v2"
        + 2         # ")."
        + 12        # " Kein Link: "
        + 16        # "user@example.com": no protocol, and "@" after "r" is no mention
        + 2         # ", "
        + 13        # "10.0.0.1:8080": no protocol, no top-level domain
        + 6         # " oder "
        + 11        # "example.net": a match, but without a protocol no link
        + 2         # ". "
        + 2         # two emoji, the second a zero-width-joiner sequence: one grapheme each
    )
    assert expected == 154
    assert length(text) == expected


# --- the rest of the rules ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("hi @alice@remote.example.org", len("hi @alice")),
    ("@first.last@host.org!", len("@first.last!")),
    # Matches without a protocol are consumed: the https link inside this one does not count.
    ("example.com/https://example.org", 31),
    # t.co links keep only their slug.
    ("https://t.co/abc123/extra", LINK + len("/extra")),
    # A letter may not precede a link.
    ("xhttps://example.com", 20),
    # Each of two links counts 23.
    ("https://a.example.org https://b.example.com/x", LINK + 1 + LINK),
    # "example" is no top-level domain twitter-text knows: only the second one is a link.
    ("https://a.example https://b.example.com/x", 17 + 1 + LINK),
    ("HTTPS://EXAMPLE.COM/X", LINK),
    # White space only counts nothing (Mastodon's blank? check).
    ("   \n", 0),
])
def test_other_rules(text, expected):
    assert length(text) == expected


def test_the_content_warning_counts_before_the_text():
    assert length("https://example.com/x", "CW: spoiler") == 11 + LINK
    assert length("   ", "cw") == 2
    assert length("e\u0301", "cw") == 3


# --- linear on a megabyte --------------------------------------------------------------------------

HOSTILE = {
    "labels without a top-level domain": "a." * 500_000 + ":",
    "one long label": "\u65e5" * 1_000_000 + "://",
    "underscores": "a_" * 500_000 + ".com:",
    "links": "https://example.com/x " * 45_000,
    "parentheses": "https://example.com/" + "a(b)" * 250_000,
    "unbalanced parentheses": "https://example.com/" + "(" * 1_000_000,
    "path ending characters": "https://example.com/a" + "." * 1_000_000,
    "mentions": " @a@b.co" * 125_000,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_megabyte_of_hostile_text_is_counted_in_linear_time(name):
    text = HOSTILE[name]
    assert len(text) >= 990_000
    assert 0 < length(text) <= 2 * len(text)


PIECES = list("htps:/.comxn-_()[]?=#&@ a1\u65e5\u00e9\n") + ["https://", "example.com", ".jp", "t.co/"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_any_text_is_counted(text):
    counted = countable_text(text)
    assert isinstance(counted, str)
    assert length(text) >= 0
