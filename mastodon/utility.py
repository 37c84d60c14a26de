"""Utility methods (versions, pagination, blurhash, server time) and the shared helpers of the package."""

from __future__ import annotations

import datetime
import email.utils
import logging
import unicodedata
from typing import Callable, Literal, TypeVar, overload

from .return_types import (  # noqa: F401 (used in annotations)
    Any, DateTime, Iterator, List, MediaAttachment, Optional, PaginatableList, Tuple, Union, _T,
)
from .compat import IMPL_HAS_BLURHASH, IMPL_HAS_GRAPHEME
from .errors import (
    MastodonAPIError, MastodonError, MastodonIllegalArgumentError, MastodonVersionError,
)
from ._casting import cast_like_page
from ._links import OFFSET_INFO_KEYS, OffsetPaging
from ._status_length import countable_text
from .internals import Mastodon as Internals
from .types_base import AttribAccessDict, AttribAccessList, PaginationInfo  # noqa: F401 (re-exported)
from .versions import api_version, max_version, parse_version_string  # noqa: F401 (re-exported)

if IMPL_HAS_BLURHASH:
    import blurhash

if IMPL_HAS_GRAPHEME:
    import grapheme

__all__ = ["AttribAccessDict", "AttribAccessList", "api_version", "parse_version_string", "max_version"]

log = logging.getLogger("mastodon")

# A result that is not a list but carries its own pagination (grouped notifications, for one).
_Paged = TypeVar("_Paged", bound=AttribAccessDict)
_Page = TypeVar("_Page", bound=AttribAccessDict)  # Mastodon.py 2.3's name of the same

class Mastodon(Internals):
    def set_language(self, lang: Optional[str]) -> None:
        """Send ``lang`` (an ISO 639 code) with every request from now on, or stop when None."""
        self.lang = lang

    def retrieve_mastodon_version(self, fail_hard: bool = False) -> str:
        """Fetch the server version from the instance information and remember it.

        Returns the normalised version string. When the server is unreachable or its version
        cannot be read, the version is assumed to be ``1.0.0``, ``version_check_worked`` becomes
        False and version gates stop refusing calls (or, with ``fail_hard``, a
        :class:`MastodonVersionError` is raised).
        """
        try:
            version_str = self.__normalize_version_string(self.__instance()["version"])
            major, minor, patch = parse_version_string(version_str)
            worked = True
        except (MastodonError, KeyError, TypeError, AttributeError) as e:
            if fail_hard:
                raise MastodonVersionError(f"Could not determine the server version: {e}") from e
            version_str, (major, minor, patch), worked = "1.0.0", (1, 0, 0), False
        self.mastodon_major, self.mastodon_minor, self.mastodon_patch = major, minor, patch
        self.__store_version_check_worked(worked)
        if worked:
            # 2.x also reads the API version from /api/v2/instance/ (row V4).
            self.__dialect.after_version_fetch(self, fail_hard)
        return version_str

    def verify_minimum_version(self, version_str: str, cached: bool = False) -> bool:
        """Whether the server is at least ``version_str``. Re-reads the version unless ``cached``."""
        if not cached:
            self.retrieve_mastodon_version()
        return (self.mastodon_major, self.mastodon_minor, self.mastodon_patch) >= parse_version_string(version_str)

    def get_approx_server_time(self) -> DateTime:
        """The server's clock, from the ``Date`` header of ``HEAD /``, as a naive local datetime."""
        response = self.__api_request("HEAD", "/", return_response_object=True)
        date = response.headers.get("Date")
        if not date:
            raise MastodonAPIError("No server time in response.")
        try:
            when = email.utils.parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError) as e:
            raise MastodonAPIError(f"Unreadable Date header: {date!r}") from e
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.astimezone().replace(tzinfo=None)

    def decode_blurhash(self, media_dict: MediaAttachment, out_size: Tuple[int, int] = (16, 16),
                        size_per_component: bool = True, return_linear: bool = True
                        ) -> List[List[List[float]]]:
        """Decode the ``blurhash`` of a media attachment into a ``[height][width][3]`` list of floats.

        With ``size_per_component`` the output has ``out_size`` pixels per blurhash component;
        with ``return_linear`` the values are linear RGB in 0..1, else sRGB in 0..255.
        """
        if not IMPL_HAS_BLURHASH:
            raise NotImplementedError("To use the blurhash functions, please install the blurhash Python module.")
        hash_ = media_dict.get("blurhash") if isinstance(media_dict, dict) else None
        if not isinstance(hash_, str) or not hash_:
            raise MastodonIllegalArgumentError("The media dict has no blurhash.")
        try:
            if size_per_component:
                components_x, components_y = blurhash.components(hash_)
                size = (components_x * out_size[0], components_y * out_size[1])
            else:
                size = out_size
            return blurhash.decode(hash_, size[0], size[1], linear=return_linear)
        except ValueError as e:
            raise MastodonIllegalArgumentError(f"Invalid blurhash {hash_!r}: {e}") from e

    # -----------------------------------------------------------------------------------------
    # Pagination

    def __pagination_request(self, page, attribute):
        if isinstance(page, list):
            info = getattr(page, attribute, None) if page else None
            if info is None:
                return self.__dialect.end_of_pages(page)
        elif isinstance(page, dict) and "_pagination_method" not in page:
            # An object answer that carries its own pagination (grouped notifications).
            info = getattr(page, attribute, None)
            if info is None:
                return None
        elif isinstance(page, dict):
            info = page
        else:
            raise MastodonIllegalArgumentError(f"Cannot paginate from a {type(page).__name__}")
        params = dict(info)
        params.pop("_mastopy_type", None)  # the result type dialect "2" notes in the info
        try:
            method = params.pop("_pagination_method")
            endpoint = params.pop("_pagination_endpoint")
        except KeyError:
            raise MastodonIllegalArgumentError("Not a pagination dict: no method or endpoint") from None
        caster_for = self.__dialect.decoder.caster_for
        if not params.get("_pagination_offset"):
            return cast_like_page(self.__api_request(method, endpoint, params), info, caster_for)
        # A page of an endpoint that pages by offset: its bookkeeping is not sent, and the
        # page fetched gets its own neighbours the same way.
        paging = OffsetPaging(params.get("_pagination_offset_field"), params.get("_pagination_offset_previous"))
        lang = params.get("_pagination_lang")
        params = {key: value for key, value in params.items() if key not in OFFSET_INFO_KEYS}
        return cast_like_page(self.__api_request(method, endpoint, params, lang_override=lang,
                                                 offset_paging=paging), info, caster_for)

    # A page gives a page of the same entities, a result with its own pagination one of its kind;
    # what a pagination info dict leads to is not known before it is fetched.
    @overload
    def fetch_next(self, previous_page: PaginatableList[_T]) -> Optional[PaginatableList[_T]]: ...
    @overload
    def fetch_next(self, previous_page: PaginationInfo) -> Any: ...
    @overload
    def fetch_next(self, previous_page: _Paged) -> Optional[_Paged]: ...

    def fetch_next(self, previous_page: Union[PaginatableList[Any], AttribAccessDict]
                   ) -> Optional[Union[PaginatableList[Any], AttribAccessDict]]:
        """The page after ``previous_page`` (a page or its ``_pagination_next`` dict), or None at the end."""
        return self.__pagination_request(previous_page, "_pagination_next")

    @overload
    def fetch_previous(self, next_page: PaginatableList[_T]) -> Optional[PaginatableList[_T]]: ...
    @overload
    def fetch_previous(self, next_page: PaginationInfo) -> Any: ...
    @overload
    def fetch_previous(self, next_page: _Paged) -> Optional[_Paged]: ...

    def fetch_previous(self, next_page: Union[PaginatableList[Any], AttribAccessDict]
                       ) -> Optional[Union[PaginatableList[Any], AttribAccessDict]]:
        """The page before ``next_page`` (a page or its ``_pagination_prev`` dict), or None at the start."""
        return self.__pagination_request(next_page, "_pagination_prev")

    def fetch_remaining(self, first_page: PaginatableList[_T],
                        progress_callback: Optional[Callable[[int, int], object]] = None) -> List[_T]:
        """Every item from ``first_page`` to the last page, as one (plain) list.

        The first page is not copied item by item; only the items themselves are kept. Each page
        fetched is logged at INFO on the ``mastodon`` logger and announced to
        ``progress_callback(pages, items)``, the counts so far (the first page included); an
        exception the callback raises ends the fetching.
        """
        if not isinstance(first_page, list):
            raise MastodonIllegalArgumentError(f"fetch_remaining needs a page (a list), not {type(first_page).__name__}")
        items = list(first_page)
        pages = 1
        page = self.fetch_next(first_page)
        while page:
            items.extend(page)
            pages += 1
            log.info("fetch_remaining: %d pages, %d items so far", pages, len(items))
            if progress_callback is not None:
                progress_callback(pages, len(items))
            page = self.fetch_next(page)
        return items

    def get_pagination_info(self, page: Union[PaginatableList[Any], AttribAccessDict],
                            pagination_direction: str) -> Optional[PaginationInfo]:
        """The stored pagination info of ``page`` in ``pagination_direction`` (``'next'`` or
        ``'previous'``), or None."""
        if pagination_direction not in ("next", "previous"):
            raise MastodonIllegalArgumentError("pagination_direction must be 'next' or 'previous'")
        attribute = "_pagination_next" if pagination_direction == "next" else "_pagination_prev"
        info = getattr(page, attribute, None)
        return PaginationInfo(info) if info is not None else None

    @overload
    def pagination_iterator(self, start_page: PaginatableList[_T], direction: str = "next",
                            return_pagination_info: Literal[False] = False) -> Iterator[_T]: ...
    @overload
    def pagination_iterator(self, start_page: PaginatableList[_T], direction: str = "next", *,
                            return_pagination_info: Literal[True]
                            ) -> Iterator[Tuple[_T, Optional[PaginationInfo]]]: ...
    @overload
    def pagination_iterator(self, start_page: Union[PaginatableList[Any], PaginationInfo], direction: str = "next",
                            return_pagination_info: bool = False) -> Iterator[Any]: ...

    def pagination_iterator(self, start_page: Union[PaginatableList[Any], PaginationInfo], direction: str = "next",
                            return_pagination_info: bool = False) -> Iterator[Any]:
        """Iterate over items page by page, fetching lazily; only one page is held at a time.

        ``start_page`` is a page or a pagination info dict. With ``return_pagination_info`` each
        item comes as ``(item, info)`` where ``info`` leads to the page after the item's page.
        """
        if direction not in ("next", "previous"):
            raise MastodonIllegalArgumentError("direction must be 'next' or 'previous'")
        fetch = self.fetch_next if direction == "next" else self.fetch_previous
        page = start_page if isinstance(start_page, list) else fetch(start_page)
        while page:
            info = self.get_pagination_info(page, direction) if return_pagination_info else None
            for item in page:
                yield (item, info) if return_pagination_info else item
            page = fetch(page)

    def pagination_page_iterator(self, start_page: Union[PaginatableList[Any], AttribAccessDict],
                                 direction: str = "next", return_pagination_info: bool = False) -> Iterator[Any]:
        """Iterate over whole pages (lists, or wrapper objects such as Collections), fetching lazily.

        The first page is ``start_page`` itself, or the page a pagination info dict leads to; then
        each page :meth:`fetch_next` (or :meth:`fetch_previous`) returns, an empty last page
        included, until there is none. With ``return_pagination_info`` each page comes as
        ``(page, info)`` where ``info`` leads on from it (None on the last page).
        """
        if direction not in ("next", "previous"):
            raise MastodonIllegalArgumentError("direction must be 'next' or 'previous'")
        fetch = self.fetch_next if direction == "next" else self.fetch_previous
        page = fetch(start_page) if _is_pagination_info(start_page) else start_page
        while page is not None:
            yield (page, self.get_pagination_info(page, direction)) if return_pagination_info else page
            page = fetch(page)

    # -----------------------------------------------------------------------------------------

    @staticmethod
    def get_status_length(text: str, spoiler_text: str = "") -> int:
        """The length Mastodon counts for a status and its content warning, to compare with the
        server's limit (``configuration.statuses.max_characters`` of :meth:`instance`, often 500).

        As Mastodon does: each link Mastodon itself recognises counts 23 characters (links need a
        protocol; user info, IP addresses and unknown top-level domains make no link), a remote
        mention counts only its ``@user`` part, and characters are user-perceived characters
        (graphemes). Text of white space only counts nothing. Linear in the text's length.
        """
        return _grapheme_length((spoiler_text or "") + countable_text(text))


def _is_pagination_info(value):
    """Whether ``value`` is a pagination info dict rather than a page (a list or a wrapper object)."""
    return isinstance(value, dict) and "_pagination_method" in value


def _grapheme_length(text):
    if IMPL_HAS_GRAPHEME:
        return grapheme.length(text)
    # Without the grapheme package: count base characters, folding combining marks, variation
    # selectors, skin tone modifiers and zero-width-joiner sequences into the character before.
    count = 0
    join_next = False
    for char in text:
        code = ord(char)
        if join_next:
            join_next = False
            continue
        if char == "\u200d":
            join_next = True
            continue
        if unicodedata.combining(char) or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF \
                or 0xE0020 <= code <= 0xE007F or unicodedata.category(char) == "Me":
            continue
        count += 1
    return count
