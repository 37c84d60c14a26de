"""Hashtags: featured tags on the own profile, followed tags, tag information."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    DateTime, FeaturedTag, IdType, NonPaginatableList, Optional, PaginatableList, Tag, Union,
)
from .errors import MastodonIllegalArgumentError
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_FEATURED_TAG, _DICT_VERSION_HASHTAG, api_version


def _tag_name(hashtag):
    """The bare name of a hashtag given as ``'tag'``, ``'#tag'`` or a Tag dict."""
    if isinstance(hashtag, dict) and "name" in hashtag:
        hashtag = hashtag["name"]
    if not isinstance(hashtag, str):
        raise MastodonIllegalArgumentError(f"Expected a hashtag name or a Tag, got {type(hashtag).__name__}")
    name = hashtag[1:] if hashtag.startswith("#") else hashtag
    if not name or "/" in name or "?" in name or "#" in name:
        raise MastodonIllegalArgumentError(f"Not a valid hashtag: {hashtag!r}")
    return name


class Mastodon(Internals):
    @api_version("3.0.0", "3.0.0", _DICT_VERSION_FEATURED_TAG)
    def featured_tags(self) -> NonPaginatableList[FeaturedTag]:
        """The hashtags the logged-in user features on their profile (list of FeaturedTag)."""
        return self.__api_request("GET", "/api/v1/featured_tags")

    @api_version("3.0.0", "3.0.0", _DICT_VERSION_HASHTAG)
    def featured_tag_suggestions(self) -> NonPaginatableList[FeaturedTag]:
        """Hashtags the logged-in user used most recently, as featuring suggestions (list of Tag)."""
        return self.__api_request("GET", "/api/v1/featured_tags/suggestions")

    @api_version("3.0.0", "3.0.0", _DICT_VERSION_FEATURED_TAG)
    def featured_tag_create(self, name: str) -> FeaturedTag:
        """Feature a hashtag on the own profile; returns the new FeaturedTag. ``name`` is sent as given."""
        params = self.__generate_params(dict(name=name))
        return self.__api_request("POST", "/api/v1/featured_tags", params)

    @api_version("3.0.0", "3.0.0", _DICT_VERSION_FEATURED_TAG)
    def featured_tag_delete(self, id: Union[FeaturedTag, IdType]) -> None:
        """Stop featuring a hashtag (by FeaturedTag id)."""
        id = self.__unpack_id(id)
        self.__api_request("DELETE", f"/api/v1/featured_tags/{id}")

    @api_version("4.0.0", "4.0.0")
    def followed_tags(self, max_id: Optional[Union[Tag, IdType, DateTime]] = None,
                      min_id: Optional[Union[Tag, IdType, DateTime]] = None,
                      since_id: Optional[Union[Tag, IdType, DateTime]] = None, limit: Optional[int] = None
                      ) -> PaginatableList[Tag]:
        """The hashtags the logged-in user follows (paginated list of Tag)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/followed_tags", params)

    @api_version("4.0.0", "4.0.0", "4.4.0")
    def tag(self, hashtag: Union[Tag, str]) -> Tag:
        """Information about a hashtag (Tag). ``hashtag`` may be ``'tag'``, ``'#tag'`` or a Tag."""
        name = _tag_name(hashtag)
        return self.__api_request("GET", f"/api/v1/tags/{name}")

    @api_version("4.0.0", "4.0.0", "4.4.0")
    def tag_follow(self, hashtag: Union[Tag, str]) -> Tag:
        """Follow a hashtag (``'tag'``, ``'#tag'`` or a Tag); returns the updated Tag."""
        name = _tag_name(hashtag)
        return self.__api_request("POST", f"/api/v1/tags/{name}/follow")

    @api_version("4.0.0", "4.0.0", "4.4.0")
    def tag_unfollow(self, hashtag: Union[Tag, str]) -> Tag:
        """Stop following a hashtag (``'tag'``, ``'#tag'`` or a Tag); returns the updated Tag."""
        name = _tag_name(hashtag)
        return self.__api_request("POST", f"/api/v1/tags/{name}/unfollow")

    @api_version("4.4.0", "4.4.0", "4.4.0")
    def tag_feature(self, name: str) -> Tag:
        """Feature a hashtag on the own profile (``'tag'``, ``'#tag'`` or a Tag); returns the updated Tag."""
        name = _tag_name(name)
        return self.__api_request("POST", f"/api/v1/tags/{name}/feature")

    @api_version("4.4.0", "4.4.0", "4.4.0")
    def tag_unfeature(self, name: str) -> Tag:
        """Stop featuring a hashtag (``'tag'``, ``'#tag'`` or a Tag); returns the updated Tag."""
        name = _tag_name(name)
        return self.__api_request("POST", f"/api/v1/tags/{name}/unfeature")
