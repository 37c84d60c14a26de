"""The logged-in user's own profile, as the profile editor sees it (Mastodon 4.6)."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    List, Optional, PathOrFile, Profile, Tuple,
)
from .accounts import _profile_field_params
from .internals import Mastodon as Internals
from .versions import api_version


class Mastodon(Internals):
    @api_version("4.6.0", "4.6.0", "4.6.0")
    def profile(self) -> Profile:
        """The logged-in user's profile for editing (Profile: the raw ``note`` and ``fields``
        next to their ``formatted_*`` forms, image descriptions, what the profile shows)."""
        return self.__api_request("GET", "/api/v1/profile")

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def profile_update(self, display_name: Optional[str] = None, note: Optional[str] = None,
                       avatar: Optional[PathOrFile] = None, avatar_mime_type: Optional[str] = None,
                       header: Optional[PathOrFile] = None, header_mime_type: Optional[str] = None,
                       locked: Optional[bool] = None, bot: Optional[bool] = None,
                       discoverable: Optional[bool] = None, hide_collections: Optional[bool] = None,
                       indexable: Optional[bool] = None, show_media: Optional[bool] = None,
                       show_media_replies: Optional[bool] = None, show_featured: Optional[bool] = None,
                       attribution_domains: Optional[List[str]] = None,
                       fields: Optional[List[Tuple[str, str]]] = None, avatar_description: Optional[str] = None,
                       header_description: Optional[str] = None) -> Profile:
        """Change the logged-in user's profile; only the given values are sent. Returns the Profile.

        ``avatar`` and ``header`` are image paths, bytes or file objects (bytes and file objects
        need the matching ``*_mime_type``); ``fields`` is a list of ``(name, value)`` pairs that
        replaces all profile fields (the server decides how many it takes). ``show_media``,
        ``show_media_replies`` and ``show_featured`` choose the profile's tabs.
        """
        field_params = _profile_field_params(fields, max_fields=None)
        files = {}
        if avatar is not None:
            files["avatar"] = self.__load_media_file(avatar, avatar_mime_type)
        if header is not None:
            files["header"] = self.__load_media_file(header, header_mime_type)
        if isinstance(attribution_domains, str):
            attribution_domains = [attribution_domains]
        params = self.__generate_params(dict(
            display_name=display_name, note=note, locked=locked, bot=bot, discoverable=discoverable,
            hide_collections=hide_collections, indexable=indexable, show_media=show_media,
            show_media_replies=show_media_replies, show_featured=show_featured,
            avatar_description=avatar_description, header_description=header_description))
        params.update(field_params)
        params.update(self.__generate_params(dict(attribution_domains=attribution_domains)))
        return self.__api_request("PATCH", "/api/v1/profile", params, files=files)
