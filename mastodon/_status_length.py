"""The length Mastodon counts for a status, and the link grammar it counts with.

Mastodon (``StatusLengthValidator``) replaces every link its extractor finds with 23 characters
and every remote mention ``@user@domain`` with ``@user``, then counts grapheme clusters of the
content warning followed by that text. A text of white space only counts 0.

Links are what twitter-text 3.1's ``extract_urls_with_indices`` finds, with the protocol required
(Mastodon passes ``extract_url_without_protocol: false``) and with Mastodon's changes to the
grammar (``config/initializers/twitter_regex.rb``):

* a match is a *preceding character* (anything but an ASCII letter or digit, ``@ ＠ $ # ＃`` or
  U+FFFE/FEFF/FFFF; or nothing at the start of a line), then the link;
* the link is an optional protocol (``http``, ``https``, ``dat``, ``dweb``, ``ipfs``, ``ipns``,
  ``ssb``, ``gopher`` or ``gemini``, then ``://``), a host, an optional ``:port`` (digits), an
  optional path from ``/`` and an optional query from ``?``;
* a host is dot-separated labels of *domain characters* (anything but ASCII punctuation other
  than ``\\`` and `````, control characters, spaces, U+FFFE/FEFF/FFFF and bidi controls) with
  inner ``-`` (and inner ``_``, except in the last two labels), the last one a top-level domain of
  :mod:`mastodon._tlds` not followed by an ASCII letter or digit, ``@``, ``+`` or ``-``, or
  ``xn--`` punycode. So user info (``user:pass@``) and IP literals (``127.0.0.1``, ``[::1]``)
  make no host, and Mastodon sees no link there;
* a path runs over anything but white space, ``< > ( ) ?`` and parentheses that are not
  balanced (one level of nesting at most), and ends at its last character that may end a path: not one of
  ``! * " ' 「 」 ; : = , . $ % [ ] ~ & | @ { }``, or a closing parenthesis of a group that
  twitter-text's own path characters fill (Mastodon's ending rule was built before it
  widened the path characters, so it still holds twitter-text's parenthesis groups);
* a query is ``?`` and ASCII query characters up to the last one of ``a-z 0-9 _ & = # / -``.

Of the links found, ``t.co`` links keep only their slug, and links whose host IDNA cannot encode
(libidn's ToASCII, unassigned code points refused) or that are longer than 4096 characters are
no links. Matches without a protocol are no links either, but they are consumed like any match,
so a link inside them (``example.com/https://x.org``) does not count.

Everything here is a scan over the text with memoised label ends: no backtracking expression
reads the text, and a megabyte of the worst shapes takes about a second.
"""

import re
import stringprep
from typing import Dict, List

from . import _tlds

URL_PLACEHOLDER = "x" * 23
MAX_URL_LENGTH = 4096
MAX_TCO_SLUG_LENGTH = 40

_PROTOCOLS = ("https://", "http://", "dat://", "dweb://", "ipfs://", "ipns://", "ssb://", "gopher://",
              "gemini://")
_HTTP_PROTOCOLS = ("https://", "http://")
_PROTOCOL_INITIALS = frozenset("hdisgHDISG")

_WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_UNICODE_SPACES = _WHITE_SPACE + "\u180e"  # twitter-text's list still has the Mongolian vowel separator
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[]^_{|}~"
_CONTROL = "".join(map(chr, range(0x20))) + "\x7f"


def _class(chars):
    """The body of a character class holding exactly ``chars``."""
    return "".join("\\" + c if c in "\\]^-[" else c for c in dict.fromkeys(chars))


_NOT_DOMAIN = _PUNCTUATION + _CONTROL + _UNICODE_SPACES + _INVALID + _DIRECTIONAL
_NOT_DOMAIN_SET = frozenset(_NOT_DOMAIN)
# A label runs over domain characters and the two joiners.
_LABEL_RUN = re.compile("[^" + _class(_NOT_DOMAIN.replace("-", "").replace("_", "")) + "]*")
# Where a link can begin: a preceding character, then a domain character.
_START = re.compile("[^A-Za-z0-9@\uff20$#\uff03" + _INVALID + "](?=[^" + _class(_NOT_DOMAIN) + "])")
_BEFORE_REFUSED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@\uff20$#\uff03" + _INVALID)

_ASCII_ALNUM_RUN = re.compile("[0-9A-Za-z]*")
_PUNYCODE_RUN = re.compile("[-0-9A-Za-z]*")
_DIGITS_RUN = re.compile("[0-9]*")
_TLD_FOLLOWER_REFUSED = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@+-")

# Mastodon's path characters, and those of them that may not end a path.
_PATH_RUN = re.compile("[^" + _class(_WHITE_SPACE + "<>()?") + "]*")
_NOT_PATH_END = frozenset("!*\"'\u300c\u300d;:=,.$%[]~&|@{}")
# twitter-text's own path characters (and the parentheses of a group): what Mastodon's ending
# rule accepts inside a parenthesised group.
_TWITTER_GROUP_RUN = re.compile(
    "[()a-zA-Z\u0400-\u04ff0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~&|@"
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff]*")

_QUERY_RUN = re.compile("[a-zA-Z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@]*")
_QUERY_END = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_&=#/-")

_ASCII_TLDS = frozenset(t for t in _tlds.GENERIC + _tlds.COUNTRY if t.isascii())
_MAX_ASCII_TLD = max(map(len, _ASCII_TLDS))
_OTHER_TLDS: Dict[str, List[str]] = {}  # first character -> TLDs with non-ASCII characters, in order
for _tld in _tlds.GENERIC + _tlds.COUNTRY:
    if not _tld.isascii():
        _OTHER_TLDS.setdefault(_tld[0], []).append(_tld)
del _tld

# Mentions (Account::MENTION_RE): @user, @user@domain.
_USERNAME_RUN = re.compile("[A-Za-z0-9_.-]*")
_MENTION_DOMAIN_RUN = re.compile(r"[\w.-]*")
_USERNAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def countable_text(text):
    """``text`` as Mastodon counts it: links as 23 characters, remote mentions as ``@user``."""
    if not text or text.isspace():
        return ""
    entities = _without_overlaps(_links(text) + _mentions(text))
    pieces = []
    position = 0
    for start, end, replacement in entities:
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _without_overlaps(entities):
    """twitter-text's ``remove_overlapping_entities``: by start, drop what overlaps the last kept."""
    kept = []
    for entity in sorted(entities, key=lambda e: e[0]):
        if kept and kept[-1][1] > entity[0]:
            continue
        kept.append(entity)
    return kept


def _mentions(text):
    """``(start, end, replacement)`` of each mention; the replacement is ``@user``."""
    found = []
    position = text.find("@")
    while position >= 0:
        end = _mention_end(text, position)
        if end is None:
            position = text.find("@", position + 1)
            continue
        end, username_end = end
        found.append((position, end, text[position:username_end]))
        position = text.find("@", end)
    return found


def _mention_end(text, at):
    """(end of the mention, end of its user name) for an ``@`` at ``at``, or None."""
    if at > 0:
        before = text[at - 1]
        if before in "=/" or before == "_" or before.isalnum():
            return None
    run_end = _USERNAME_RUN.match(text, at + 1).end()
    if run_end == at + 1 or text[at + 1] not in _USERNAME_START:
        return None
    username_end = at + 1 + len(text[at + 1:run_end].rstrip(".-"))
    end = username_end
    if username_end < len(text) and text[username_end] == "@":
        run_end = _MENTION_DOMAIN_RUN.match(text, username_end + 1).end()
        domain = text[username_end + 1:run_end].rstrip(".-")
        if len(domain) >= 2:
            end = username_end + 1 + len(domain)
    return end, username_end


class _Scanner:
    """The links of one text (see the module docstring for the grammar)."""

    def __init__(self, text):
        self.text = text
        self.length = len(text)
        self.domains = {}  # label start after a dot -> end of the host from there, or -1
        self.run = (0, 0, -1)  # the label run last read from a link start: (from, end, last "_")

    def links(self):
        text = self.text
        found = []
        position = 0
        while position < self.length:
            match = self.first_match(position)
            if match is None:
                break
            start, end, entity = match
            if entity is not None:
                found.append((start, entity, URL_PLACEHOLDER))
            position = end
        return found

    def first_match(self, position):
        """The next match from ``position``: (link start, match end, link end or None when the
        match is no link), or None."""
        text = self.text
        if position == 0:
            # At the start of the text the preceding character may be missing, but a preceding
            # character at 0 is tried first.
            if text[0] not in _BEFORE_REFUSED and self.length > 1:
                match = self.match_at(1)
                if match is not None:
                    return match
            match = self.match_at(0)
            if match is not None:
                return match
            position = 1
        while True:
            found = _START.search(text, position)
            if found is None:
                return None
            start = found.start() + 1
            run_end = self.run_from(start)[0]
            if run_end < self.length and text[run_end] == ".":
                # A host known not to start here (the label after a dot, read before) is skipped.
                if text[start - 1] != "." or self.domains.get(start, 0) >= 0:
                    match = self.match_at(start)
                    if match is not None:
                        return match
                position = start
            elif text.startswith("://", run_end):
                # Only a protocol ending there can start a link in this run.
                match = self.match_at(start)
                if match is not None:
                    return match
                position = max(start, run_end - 7)
            else:
                # No link starts in this run: its labels end in neither "." nor a protocol.
                position = max(start, run_end)

    def match_at(self, start):
        text = self.text
        protocol = self.protocol_at(start)
        host = start + len(protocol)
        host_end = self.host_end(host, from_link_start=True)
        if host_end < 0:
            return None
        end = self.rest_end(host_end)
        if not protocol:
            return start, end, None
        link_end = end
        if protocol in _HTTP_PROTOCOLS and text[host:host + 5].lower() == "t.co/":
            slug_end = _ASCII_ALNUM_RUN.match(text, host + 5, end).end()
            if slug_end > host + 5:
                if slug_end - host - 5 > MAX_TCO_SLUG_LENGTH:
                    return start, end, None
                link_end = slug_end
                if slug_end < end and text[slug_end] == "?":
                    query_end = self.query_end(slug_end + 1)
                    if query_end > 0:
                        link_end = min(query_end, end)
        if not _encodable_host(text[host:host_end], link_end - start):
            return start, end, None
        return start, end, link_end

    def protocol_at(self, position):
        if self.text[position:position + 1] not in _PROTOCOL_INITIALS:
            return ""
        head = self.text[position:position + 9].lower()
        for protocol in _PROTOCOLS:
            if head.startswith(protocol):
                return protocol
        return ""

    def label(self, position, from_link_start=False):
        """(end of the label run at ``position``, whether the label may be a subdomain, whether
        it may be the label before the top-level domain)."""
        text = self.text
        if from_link_start:
            end, underscore = self.run_from(position)
        else:
            end = _LABEL_RUN.match(text, position).end()
            underscore = text.rfind("_", position, end)
        if end == position or end >= self.length or text[end] != "." \
                or text[position] in _NOT_DOMAIN_SET or text[end - 1] in _NOT_DOMAIN_SET:
            return end, False, False
        return end, True, underscore < position

    def run_from(self, position):
        """(end, last "_") of the label run through ``position``; link starts only grow, so the
        run last read is remembered and a long run is read once."""
        begin, end, underscore = self.run
        if not begin <= position < end:
            end = _LABEL_RUN.match(self.text, position).end()
            underscore = self.text.rfind("_", position, end)
            self.run = (position, end, underscore)
        return end, underscore

    def host_end(self, position, from_link_start=False):
        """Where the host starting at ``position`` ends, or -1: as many subdomains as can be
        taken, then a label and a top-level domain (the expression's greedy order)."""
        if (not from_link_start or _after_dot(self.text, position)) and position in self.domains:
            return self.domains[position]
        # Labels from here to the first one whose answer is known or that ends the chain.
        chain = []
        here = position
        first = True
        while first or here not in self.domains:
            end, subdomain, last = self.label(here, from_link_start=first)
            if not subdomain:
                if not first:
                    self.domains[here] = -1
                break
            chain.append((here, end, last))
            here = end + 1
            first = False
            if here >= self.length:
                self.domains[here] = -1
                break
        answer = self.domains.get(here, -1) if chain else -1
        for index in range(len(chain) - 1, -1, -1):
            label_start, label_end, last = chain[index]
            if answer < 0 and last:
                answer = self.tld_end(label_end + 1)
            if index or not from_link_start or _after_dot(self.text, label_start):
                self.domains[label_start] = answer
        return answer

    def tld_end(self, position):
        text = self.text
        if position >= self.length:
            return -1
        char = text[position]
        end = _ASCII_ALNUM_RUN.match(text, position).end()
        if position < end <= position + _MAX_ASCII_TLD and text[position:end].lower() in _ASCII_TLDS \
                and (end == self.length or text[end] not in "@+-"):
            return end
        for tld in _OTHER_TLDS.get(char.lower(), ()):
            stop = position + len(tld)
            if text[position:stop].lower() == tld and (stop == self.length or text[stop] not in _TLD_FOLLOWER_REFUSED):
                return stop
        if text[position:position + 4].lower() == "xn--":
            end = _PUNYCODE_RUN.match(text, position + 4).end()
            if end > position + 4:
                return end
        return -1

    def rest_end(self, position):
        """The end of the optional port, path and query after a host ending at ``position``."""
        text, length = self.text, self.length
        if position + 1 < length and text[position] == ":" and text[position + 1] in "0123456789":
            position = _DIGITS_RUN.match(text, position + 1).end()
        if position < length and text[position] == "/":
            position = self.path_end(position + 1)
        if position < length and text[position] == "?":
            query_end = self.query_end(position + 1)
            if query_end > 0:
                position = query_end
        return position

    def path_end(self, position):
        """The end of a path whose ``/`` ends at ``position``: its last possible ending."""
        text, length = self.text, self.length
        best = position
        while True:
            run_end = _PATH_RUN.match(text, position).end()
            last = run_end - 1
            while last >= position and text[last] in _NOT_PATH_END:
                last -= 1
            if last >= position:
                best = last + 1
            if run_end >= length or text[run_end] != "(":
                return best
            group_end = self.parenthesised_end(run_end)
            if group_end < 0:
                return best
            # The group may end the path when twitter-text's characters fill it (its balance
            # was checked just above).
            if _TWITTER_GROUP_RUN.match(text, run_end + 1, group_end - 1).end() == group_end - 1:
                best = group_end
            position = group_end

    def parenthesised_end(self, position):
        """The end of the balanced group opening at ``position`` (one nested level), or -1."""
        text, length = self.text, self.length
        inner = _PATH_RUN.match(text, position + 1).end()
        if inner > position + 1 and inner < length and text[inner] == ")":
            return inner + 1
        if inner < length and text[inner] == "(":
            nested = _PATH_RUN.match(text, inner + 1).end()
            if nested > inner + 1 and nested < length and text[nested] == ")":
                after = _PATH_RUN.match(text, nested + 1).end()
                if after < length and text[after] == ")":
                    return after + 1
        return -1

    def query_end(self, position):
        """The end of a query whose ``?`` ends at ``position``, or -1 when it has no ending character."""
        text = self.text
        last = _QUERY_RUN.match(text, position).end() - 1
        while last >= position and text[last] not in _QUERY_END:
            last -= 1
        return last + 1 if last >= position else -1


def _after_dot(text, position):
    """Whether ``position`` starts a label after a dot (where a label's whole run starts)."""
    return position > 0 and text[position - 1] == "."


def _links(text):
    if ":" not in text:
        return []  # every link has a protocol (twitter-text asks for a ":" first, too)
    return _Scanner(text).links()


def _encodable_host(host, link_length):
    """twitter-text's ``is_valid_domain``: IDNA ToASCII (libidn, unassigned code points refused)
    must encode the host, and the link with the encoded host must fit 4096 characters."""
    if not host.isascii() and any(stringprep.in_table_a1(char) for char in host):
        return False
    try:
        encoded = host.encode("idna")
    except UnicodeError:
        return False
    return link_length + max(0, len(encoded) - len(host)) <= MAX_URL_LENGTH
