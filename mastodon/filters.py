"""Keyword filters: v1 filters (and applying them client side) and v2 filters with their
keywords and statuses."""

from __future__ import annotations

import html
import re
from typing import Sequence, overload

from .return_types import (  # noqa: F401 (used in annotations)
    Any, Dict, Filter, FilterKeyword, FilterStatus, FilterV2, IdType, List, NonPaginatableList,
    Notification, Optional, PaginatableList, Status, Union,
)
from .errors import MastodonIllegalArgumentError
from .internals import Mastodon as Internals
from .types_base import AttribAccessList
from .versions import _DICT_VERSION_FILTER, api_version

# The filters filters_apply applies.
_FilterList = Union[NonPaginatableList[Filter], NonPaginatableList[FilterV2]]

# Contexts a v1 filter can apply to ('account' exists since Mastodon 3.1.0).
_FILTER_CONTEXTS = ("home", "notifications", "public", "thread", "account")

# Block tags (paragraphs, line breaks, ...) separate words; every other tag (a, span, ...) is
# removed without a trace, so that Mastodon's hashtag markup ``#<span>tag</span>`` reads ``#tag``.
_TAG_RE = re.compile(r"(<\s*/?\s*(?:p|br|div|li|ul|ol|blockquote|pre|h[1-6])(?:[\s/][^>]*)?>)|<[^>]*>",
                     re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")
_STARTS_WORD_RE = re.compile(r"\A\w")
_ENDS_WORD_RE = re.compile(r"\w\Z")


def _tag_replacement(match):
    return " " if match.group(1) else ""


def _visible_text(content):
    """The readable text of a status' HTML: block tags (paragraphs, line breaks, ...) become
    spaces, other tags vanish, entities are decoded and whitespace runs collapse to one space."""
    if not content or not isinstance(content, str):
        return ""
    text = html.unescape(_TAG_RE.sub(_tag_replacement, content))
    return _SPACE_RE.sub(" ", text).strip()


def _phrase_pattern(phrase, whole_word):
    """The regex for one filter phrase. A whole-word phrase must not continue a word on either
    side; a ``\\b`` is only required at an end of the phrase that is itself a word character
    (so ``#tag`` or ``c++`` still match as whole words), as the Mastodon server does it."""
    escaped = re.escape(phrase)
    if not whole_word:
        return escaped
    start = r"\b" if _STARTS_WORD_RE.search(phrase) else ""
    end = r"\b" if _ENDS_WORD_RE.search(phrase) else ""
    return start + escaped + end


def _filter_texts(obj):
    """The texts of an object (a Status, or a Notification carrying one) that filters look at:
    the content and the content warning, of the status and of the status it reblogs."""
    status = obj["status"] if "status" in obj else obj
    texts = []
    while isinstance(status, dict):
        texts.append(_visible_text(status.get("content")))
        texts.append(_visible_text(status.get("spoiler_text")))
        status = status.get("reblog")
    return texts


class Mastodon(Internals):
    # -----------------------------------------------------------------------------------------
    # v1 filters

    @api_version("2.4.3", "2.4.3", _DICT_VERSION_FILTER)
    def filters(self) -> NonPaginatableList[Filter]:
        """The user's v1 keyword filters (list of Filter)."""
        return self.__api_request("GET", "/api/v1/filters")

    @api_version("2.4.3", "2.4.3", _DICT_VERSION_FILTER)
    def filter(self, id: Union[Filter, IdType]) -> Filter:
        """One v1 filter (Filter)."""
        return self.__api_request("GET", f"/api/v1/filters/{self.__unpack_id(id)}")

    # Statuses give statuses, notifications notifications; a page stays a page.
    @overload
    def filters_apply(self, objects: PaginatableList[Status], filters: _FilterList, context: str
                      ) -> PaginatableList[Status]: ...
    @overload
    def filters_apply(self, objects: PaginatableList[Notification], filters: _FilterList, context: str
                      ) -> PaginatableList[Notification]: ...
    @overload
    def filters_apply(self, objects: List[Status], filters: _FilterList, context: str) -> List[Status]: ...
    @overload
    def filters_apply(self, objects: List[Notification], filters: _FilterList, context: str
                      ) -> List[Notification]: ...

    @api_version("2.4.3", "2.4.3", _DICT_VERSION_FILTER)
    def filters_apply(self, objects: Sequence[Union[Status, Notification]], filters: _FilterList, context: str
                      ) -> Union[List[Status], List[Notification]]:
        """Drop from ``objects`` (Statuses or Notifications) those that ``filters`` (v1 Filters)
        hide in ``context`` (``'home'``, ``'notifications'``, ``'public'``, ``'thread'`` or
        ``'account'``). Nothing is sent to the server.

        Phrases match case-insensitively as literal text (regex characters have no special
        meaning); ``whole_word`` phrases only match whole words. As the server does, the status
        text, its content warning and the text of a boosted status are checked, with hashtags
        read as ``#tag``. Returns a new list of the kept objects, in order (with the input page's
        pagination, if it had one). When no filter applies to ``context`` every object is kept
        (Mastodon.py 1.8.1 returned an empty list then).
        """
        if not isinstance(objects, (list, tuple)) or not all(isinstance(o, dict) for o in objects):
            raise MastodonIllegalArgumentError("objects must be a list of statuses or notifications")
        if not isinstance(filters, (list, tuple)) or not all(isinstance(f, dict) for f in filters):
            raise MastodonIllegalArgumentError("filters must be a list of filters")
        if not all(isinstance(f.get("phrase"), str) for f in filters if f.get("phrase") is not None):
            raise MastodonIllegalArgumentError("a filter phrase must be a string")
        phrases = [_phrase_pattern(f["phrase"], f.get("whole_word", True))
                   for f in filters if f.get("phrase") and context in (f.get("context") or ())]
        if phrases:
            matcher = re.compile("|".join(phrases), re.IGNORECASE).search
            # Typed loosely: the caller's statuses or notifications, whichever they are.
            kept: List[Any] = [obj for obj in objects
                               if not any(matcher(text) for text in _filter_texts(obj) if text)]
        else:
            kept = list(objects)
        if isinstance(objects, AttribAccessList):
            page = AttribAccessList(kept)
            for attribute in ("_pagination_next", "_pagination_prev"):
                info = getattr(objects, attribute, None)
                if info is not None:
                    setattr(page, attribute, info)
            return page
        return kept

    @api_version("2.4.3", "2.4.3", _DICT_VERSION_FILTER)
    def filter_create(self, phrase: str, context: Union[str, List[str]], irreversible: bool = False,
                      whole_word: bool = True, expires_in: Optional[int] = None) -> Filter:
        """Create a v1 filter hiding ``phrase`` in the given ``context`` list (values from
        ``home``, ``notifications``, ``public``, ``thread``, ``account``); ``expires_in`` is in
        seconds. Returns the new Filter. An unknown context raises
        :class:`MastodonIllegalArgumentError` before anything is sent."""
        if isinstance(context, str):
            context = [context]
        if not isinstance(context, (list, tuple)):
            raise MastodonIllegalArgumentError("context must be a list of filter contexts")
        params = self.__generate_params(dict(phrase=phrase, context=list(context), irreversible=irreversible,
                                             whole_word=whole_word, expires_in=expires_in))
        for value in context or ():
            if value not in _FILTER_CONTEXTS:
                raise MastodonIllegalArgumentError(
                    f"Invalid filter context {value!r}: must be one of {', '.join(_FILTER_CONTEXTS)}")
        return self.__api_request("POST", "/api/v1/filters", params)

    @api_version("2.4.3", "2.4.3", _DICT_VERSION_FILTER)
    def filter_update(self, id: Union[Filter, IdType], phrase: Optional[str] = None,
                      context: Optional[str] = None, irreversible: Optional[bool] = None,
                      whole_word: Optional[bool] = None, expires_in: Optional[int] = None) -> Filter:
        """Change a v1 filter; only the given fields change. Returns the updated Filter."""
        params = self.__generate_params(dict(phrase=phrase, context=context, irreversible=irreversible,
                                             whole_word=whole_word, expires_in=expires_in))
        return self.__api_request("PUT", f"/api/v1/filters/{self.__unpack_id(id)}", params)

    @api_version("2.4.3", "2.4.3", "2.4.3")
    def filter_delete(self, id: Union[Filter, FilterV2, IdType]) -> None:
        """Delete a v1 filter. Returns None."""
        self.__api_request("DELETE", f"/api/v1/filters/{self.__unpack_id(id)}")

    # -----------------------------------------------------------------------------------------
    # v2 filters

    @api_version("4.0.0", "4.0.0")
    def filters_v2(self) -> NonPaginatableList[FilterV2]:
        """The user's v2 filters (list of FilterV2)."""
        return self.__api_request("GET", "/api/v2/filters")

    @api_version("4.0.0", "4.0.0", "3.1.0")
    def filter_v2(self, filter_id: Union[Filter, IdType]) -> Filter:
        """One v2 filter (FilterV2)."""
        return self.__api_request("GET", f"/api/v2/filters/{self.__unpack_id(filter_id)}")

    @api_version("4.0.0", "4.0.0")
    def create_filter_v2(self, title: str, context: List[str], filter_action: str,
                         expires_in: Optional[int] = None,
                         keywords_attributes: Optional[List[Dict[str, Union[str, bool]]]] = None) -> FilterV2:
        """Create a v2 filter. ``filter_action`` is ``'warn'``, ``'hide'`` or ``'blur'``;
        ``keywords_attributes`` a list of ``{'keyword': ..., 'whole_word': ...}`` dicts.
        Returns the new FilterV2."""
        params = self.__generate_params(dict(title=title, context=context, filter_action=filter_action,
                                             expires_in=expires_in, keywords_attributes=keywords_attributes),
                                        for_json=True)
        return self.__api_request("POST", "/api/v2/filters", params, use_json=True)

    @api_version("4.0.0", "4.0.0")
    def update_filter_v2(self, filter_id: Union[FilterV2, IdType], title: Optional[str] = None,
                         context: Optional[List[str]] = None, filter_action: Optional[str] = None,
                         expires_in: Optional[int] = None,
                         keywords_attributes: Optional[List[Dict[str, Union[str, bool, int]]]] = None
                         ) -> FilterV2:
        """Change a v2 filter; only the given fields change (keyword entries with an ``id``
        update that keyword, with ``_destroy: True`` remove it). Returns the FilterV2."""
        filter_id = self.__unpack_id(filter_id)
        params = self.__generate_params(dict(filter_id=filter_id, title=title, context=context,
                                             filter_action=filter_action, expires_in=expires_in,
                                             keywords_attributes=keywords_attributes), for_json=True)
        return self.__api_request("PUT", f"/api/v2/filters/{filter_id}", params, use_json=True)

    @api_version("4.0.0", "4.0.0")
    def delete_filter_v2(self, filter_id: Union[FilterV2, IdType]) -> None:
        """Delete a v2 filter. Returns None."""
        self.__api_request("DELETE", f"/api/v2/filters/{self.__unpack_id(filter_id)}")

    @api_version("4.0.0", "4.0.0")
    def filter_keywords_v2(self, filter_id: Union[FilterV2, IdType]) -> NonPaginatableList[FilterKeyword]:
        """The keywords of a v2 filter (list of FilterKeyword)."""
        return self.__api_request("GET", f"/api/v2/filters/{self.__unpack_id(filter_id)}/keywords")

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def add_filter_keyword_v2(self, filter_id: Union[FilterV2, IdType], keyword: str, whole_word: bool = False
                              ) -> FilterKeyword:
        """Add a keyword to a v2 filter. Returns the new FilterKeyword."""
        filter_id = self.__unpack_id(filter_id)
        params = self.__generate_params(dict(filter_id=filter_id, keyword=keyword, whole_word=whole_word))
        return self.__api_request("POST", f"/api/v2/filters/{filter_id}/keywords", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def filter_keyword_v2(self, keyword_id: Union[FilterKeyword, IdType]) -> FilterKeyword:
        """One keyword of a v2 filter (FilterKeyword)."""
        return self.__api_request("GET", f"/api/v2/filters/keywords/{self.__unpack_id(keyword_id)}")

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def update_filter_keyword_v2(self, keyword_id: Union[FilterKeyword, IdType], keyword: Optional[str] = None,
                                 whole_word: Optional[bool] = None) -> FilterKeyword:
        """Change a keyword of a v2 filter; only the given values are sent. Returns the FilterKeyword."""
        params = self.__generate_params(dict(keyword=keyword, whole_word=whole_word))
        return self.__api_request("PUT", f"/api/v2/filters/keywords/{self.__unpack_id(keyword_id)}", params)

    @api_version("4.0.0", "4.0.0")
    def delete_filter_keyword_v2(self, keyword_id: Union[FilterKeyword, IdType]) -> None:
        """Remove a keyword from its v2 filter. Returns None."""
        self.__api_request("DELETE", f"/api/v2/filters/keywords/{self.__unpack_id(keyword_id)}")

    @api_version("4.0.0", "4.0.0")
    def filter_statuses_v2(self, filter_id: Union[FilterV2, IdType]) -> List[FilterStatus]:
        """The statuses a v2 filter hides individually (list of FilterStatus)."""
        return self.__api_request("GET", f"/api/v2/filters/{self.__unpack_id(filter_id)}/statuses")

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def add_filter_status_v2(self, filter_id: Union[FilterV2, IdType], status_id: Union[Status, IdType]
                             ) -> FilterStatus:
        """Make a v2 filter hide one status. Returns the new FilterStatus."""
        params = self.__generate_params(dict(status_id=self.__unpack_id(status_id)))
        return self.__api_request("POST", f"/api/v2/filters/{self.__unpack_id(filter_id)}/statuses", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def filter_status_v2(self, filter_status_id: Union[FilterStatus, IdType]) -> FilterStatus:
        """One status entry of a v2 filter (FilterStatus)."""
        return self.__api_request("GET", f"/api/v2/filters/statuses/{self.__unpack_id(filter_status_id)}")

    @api_version("4.0.0", "4.0.0")
    def delete_filter_status_v2(self, filter_status_id: Union[FilterStatus, IdType]) -> None:
        """Remove a status entry from its v2 filter. Returns None."""
        self.__api_request("DELETE", f"/api/v2/filters/statuses/{self.__unpack_id(filter_status_id)}")
