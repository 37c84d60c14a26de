"""Status text as Mastodon renders it: paragraphs, line breaks, links, mentions and hashtags.

Plain text becomes the HTML Mastodon's ``TextFormatter`` produces for local statuses, so that
bots that strip or parse ``content`` see what they would see on a real server.
"""

from __future__ import annotations

import html
import re

# One pass finds URLs, mentions (@user or @user@domain) and hashtags, in text order.
_TOKENS = re.compile(
    r"(?P<url>https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'])"
    r"|(?<![\w/@])@(?P<user>[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)(?:@(?P<domain>[A-Za-z0-9.\-:]+[A-Za-z0-9]))?"
    r"|(?<![\w/&#])#(?P<tag>\w*[^\W\d]\w*)"
)
_URL_PREFIX = re.compile(r"^(https?://(?:www\.)?)")


def _link(url):
    prefix_match = _URL_PREFIX.match(url)
    prefix = prefix_match.group(1) if prefix_match else ""
    rest = url[len(prefix):]
    if len(rest) > 30:
        display, hidden, css = rest[:30], rest[30:], "ellipsis"
    else:
        display, hidden, css = rest, "", ""
    return (f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
            f'<span class="invisible">{html.escape(prefix)}</span><span class="{css}">{html.escape(display)}</span>'
            f'<span class="invisible">{html.escape(hidden)}</span></a>')


def render(text, base_url, find_account):
    """``(html, mentioned accounts, hashtag names)`` for ``text``.

    ``find_account(username, domain)`` returns the local account a mention names, or None (the
    mention then stays plain text, as Mastodon leaves unknown accounts).
    """
    mentions, tags = [], []

    def linkify(paragraph):
        out, position = [], 0
        for match in _TOKENS.finditer(paragraph):
            out.append(html.escape(paragraph[position:match.start()], quote=False))
            position = match.end()
            if match.group("url"):
                out.append(_link(match.group("url")))
            elif match.group("user"):
                account = find_account(match.group("user"), match.group("domain"))
                if account is None:
                    out.append(html.escape(match.group(0), quote=False))
                    continue
                if account not in mentions:
                    mentions.append(account)
                out.append(f'<span class="h-card" translate="no"><a href="{base_url}/@{account.username}" '
                           f'class="u-url mention">@<span>{account.username}</span></a></span>')
            else:
                tag = match.group("tag")
                if tag.lower() not in (known.lower() for known in tags):
                    tags.append(tag)
                out.append(f'<a href="{base_url}/tags/{tag.lower()}" class="mention hashtag" rel="tag">'
                           f'#<span>{html.escape(tag)}</span></a>')
        out.append(html.escape(paragraph[position:], quote=False))
        return "".join(out).replace("\n", "<br />")

    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    body = "".join(f"<p>{linkify(part)}</p>" for part in paragraphs if part)
    return body, mentions, tags


def matches_keyword(keyword, whole_word, text):
    """Whether a filter keyword matches ``text`` (case-insensitive; word boundaries when
    ``whole_word``, as Mastodon's filter regexp)."""
    escaped = re.escape(keyword)
    if whole_word:
        start = r"\b" if re.match(r"\w", keyword) else ""
        end = r"\b" if re.search(r"\w$", keyword) else ""
        escaped = start + escaped + end
    return re.search(escaped, text, re.IGNORECASE) is not None
