"""Account preferences and read markers."""

from __future__ import annotations

from typing import Sequence

from .return_types import (  # noqa: F401 (used in annotations)
    Dict, IdType, List, Marker, Preferences, Status, Union,
)
from .errors import MastodonIllegalArgumentError
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_MARKER, _DICT_VERSION_PREFERENCES, api_version


class Mastodon(Internals):
    @api_version("2.8.0", "2.8.0", _DICT_VERSION_PREFERENCES)
    def preferences(self) -> Preferences:
        """Your preferences: default visibility, sensitivity, language, expansion settings (Preferences)."""
        return self.__api_request("GET", "/api/v1/preferences")

    @api_version("3.0.0", "3.0.0", _DICT_VERSION_MARKER)
    def markers_get(self, timeline: Union[str, List[str]] = ["home"]) -> Dict[str, Marker]:
        """Your read positions in ``timeline`` (``home``, ``notifications`` or a list of both).

        Returns a dict from timeline name to Marker.
        """
        timelines = list(timeline) if isinstance(timeline, (list, tuple)) else [timeline]
        params = self.__generate_params(dict(timeline=timelines))
        return self.__api_request("GET", "/api/v1/markers", params)

    @api_version("3.0.0", "3.0.0", _DICT_VERSION_MARKER)
    def markers_set(self, timelines: Union[str, List[str]],
                    last_read_ids: Union[Status, IdType, Sequence[Union[Status, IdType]]]) -> Dict[str, Marker]:
        """Set read positions: ``timelines`` and ``last_read_ids`` (ids or statuses/notifications) are
        single values or lists of equal length. Returns a dict from timeline name to Marker.
        Lists of different lengths raise MastodonIllegalArgumentError."""
        if not isinstance(timelines, (list, tuple)):
            timelines = [timelines]
        ids = last_read_ids if isinstance(last_read_ids, (list, tuple)) else [last_read_ids]
        if len(timelines) != len(ids):
            raise MastodonIllegalArgumentError("Number of specified timelines and ids must be the same")
        params = {}
        for name, last_read_id in zip(timelines, ids):
            params[name] = {"last_read_id": self.__unpack_id(last_read_id)}
        return self.__api_request("POST", "/api/v1/markers", params, use_json=True)
