"""Statuses: reading, posting, replying, editing and deleting them, the interactions on them
(reblog, favourite, mute, pin, bookmark, quotes), translations and scheduled statuses."""

from __future__ import annotations

import time
from typing import Sequence, overload

from .return_types import (  # noqa: F401 (used in annotations)
    Account, Any, Context, DateTime, Dict, Entity, IdType, List, MediaAttachment, NonPaginatableList,
    Optional, PaginatableList, PathOrFile, Poll, PreviewCard, ScheduledStatus, Status, StatusEdit,
    StatusSource, Translation, Tuple, Union,
)
from .errors import MastodonIllegalArgumentError, MastodonNetworkError, MastodonVersionError, _NotAStatusError
from ._binding import rebinding
from ._media_files import format_focus
from ._validation import checked_visibility
from .internals import Mastodon as Internals
from .versions import (
    typed_result,
    _DICT_VERSION_ACCOUNT, _DICT_VERSION_CARD, _DICT_VERSION_CONTEXT, _DICT_VERSION_SCHEDULED_STATUS,
    _DICT_VERSION_STATUS, _DICT_VERSION_STATUS_EDIT, api_version,
)


_CONTENT_TYPES = ("text/plain", "text/html", "text/markdown", "text/bbcode")

# A status posted with an Idempotency-Key is deduplicated by the server, so a request whose
# connection dropped can be sent again without risking a double post.
_IDEMPOTENT_RETRIES = 2
_IDEMPOTENT_RETRY_WAIT = 0.5
_sleep = time.sleep


def _field(entity, name):
    """Read ``name`` from an entity given as AttribAccessDict or plain dict."""
    if isinstance(entity, dict):
        return entity[name]
    return getattr(entity, name)


class Mastodon(Internals):
    # -----------------------------------------------------------------------------------------
    # Reading

    @api_version("1.0.0", "2.0.0", _DICT_VERSION_STATUS)
    def status(self, id: Union[Status, IdType]) -> Status:
        """Fetch one status by id. Returns a Status; raises MastodonNotFoundError if it is not visible."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/statuses/{id}")

    @api_version("4.3.0", "4.3.0")
    def statuses(self, ids: Sequence[Union[Status, IdType]]) -> List[Status]:
        """Fetch several statuses at once (``id[]``). Returns a list of Status; unknown ids are left out."""
        ids = self.__unpack_id(ids, dateconv=True, listify=True)
        return self.__api_request("GET", "/api/v1/statuses", {"id[]": ids})

    @api_version("1.0.0", "3.0.0", _DICT_VERSION_CARD)
    def status_card(self, id: Union[Status, IdType]) -> Optional[PreviewCard]:
        """The preview card of a status (PreviewCard), or None when it has none.

        On servers from 3.0.0 on the card is read from the status itself.
        """
        if self.__version_at_least("3.0.0"):
            return self.status(id).get("card")
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/statuses/{id}/card")

    @api_version("1.0.0", "1.0.0", _DICT_VERSION_CONTEXT)
    def status_context(self, id: Union[Status, IdType]) -> Context:
        """The ancestors and descendants of a status (Context with ``ancestors`` and ``descendants``)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/statuses/{id}/context")

    @api_version("1.0.0", "2.1.0", _DICT_VERSION_ACCOUNT)
    def status_reblogged_by(self, id: Union[Status, IdType]) -> NonPaginatableList[Account]:
        """The accounts that reblogged a status (list of Account)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/statuses/{id}/reblogged_by")

    @api_version("1.0.0", "2.1.0", _DICT_VERSION_ACCOUNT)
    def status_favourited_by(self, id: Union[Status, IdType]) -> NonPaginatableList[Account]:
        """The accounts that favourited a status (list of Account)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/statuses/{id}/favourited_by")

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_STATUS_EDIT)
    def status_history(self, id: Union[StatusEdit, IdType]) -> NonPaginatableList[StatusEdit]:
        """Every revision of a status, oldest first (list of StatusEdit)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/statuses/{id}/history")

    @typed_result
    def status_source(self, id: Union[Status, IdType]) -> StatusSource:
        """The plain source of one of your statuses, for editing (StatusSource: id, text, spoiler_text)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/statuses/{id}/source")

    @api_version("4.5.0", "4.5.0")
    def status_quotes(self, id: Union[Status, IdType], max_id: Optional[Union[Status, IdType]] = None,
                      since_id: Optional[Union[Status, IdType]] = None, limit: Optional[int] = None
                      ) -> PaginatableList[Status]:
        """The statuses quoting one of your statuses (paginated list of Status)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(max_id=max_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", f"/api/v1/statuses/{id}/quotes", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def status_translate(self, id: Union[Status, IdType], lang: Optional[str] = None) -> Translation:
        """Translate a status into ``lang`` (default: your interface language). Returns a Translation."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(lang=lang))
        return self.__api_request("POST", f"/api/v1/statuses/{id}/translate", params)

    # -----------------------------------------------------------------------------------------
    # Posting, editing, deleting

    def __status_internal(self, status, in_reply_to_id=None, media_ids=None, sensitive=False, visibility=None,
                          spoiler_text=None, language=None, idempotency_key=None, content_type=None,
                          scheduled_at=None, poll=None, quote_id=None, edit=None, strict_content_type=False,
                          quoted_status_id=None, quote_approval_policy=None, media_attributes=None):
        """Validate and send a new status (POST) or an edit (PUT when ``edit`` is an id).

        Every check runs before anything is sent.
        """
        if quote_id is not None:
            if self.feature_set != "fedibird":
                raise MastodonIllegalArgumentError("quote_id is only available with feature set fedibird")
            quote_id = self.__unpack_id(quote_id)

        if content_type is not None:
            if self.feature_set != "pleroma" and not strict_content_type:
                raise MastodonIllegalArgumentError("content_type is only available with feature set pleroma")
            if content_type not in _CONTENT_TYPES:
                raise MastodonIllegalArgumentError(
                    f"Invalid content type {content_type!r}, must be one of {', '.join(_CONTENT_TYPES)}")

        in_reply_to_id = self.__unpack_id(in_reply_to_id)
        quoted_status_id = self.__unpack_id(quoted_status_id)
        if scheduled_at is not None:
            scheduled_at = self.__consistent_isoformat_utc(scheduled_at)

        if media_ids is not None:
            if not isinstance(media_ids, (list, tuple)):
                media_ids = [media_ids]
            unpacked = []
            for media_id in media_ids:
                media_id = self.__unpack_id(media_id)
                if not isinstance(media_id, (int, str)) or isinstance(media_id, bool):
                    raise MastodonIllegalArgumentError(f"Invalid media id: {media_id!r}")
                unpacked.append(media_id)
            media_ids = unpacked
        self.__dialect.check_poll_with_media(poll, media_ids)

        visibility = checked_visibility(visibility)
        use_json = poll is not None or media_attributes is not None

        # Left out (None) by Mastodon.py 1.8.1, sent as '0' by 2.3.3.
        if sensitive is False:
            sensitive = self.__dialect.status_sensitive_false

        params = self.__generate_params(
            dict(status=status, in_reply_to_id=in_reply_to_id, media_ids=media_ids, sensitive=sensitive,
                 visibility=visibility, spoiler_text=spoiler_text, language=language,
                 content_type=content_type, scheduled_at=scheduled_at, poll=poll, quote_id=quote_id,
                 quoted_status_id=quoted_status_id, quote_approval_policy=quote_approval_policy,
                 media_attributes=media_attributes),
            for_json=self.__dialect.status_plain_list_keys(use_json, media_attributes))
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else None

        if edit is not None:
            return self.__api_request("PUT", f"/api/v1/statuses/{self.__unpack_id(edit)}", params,
                                      headers=headers, use_json=use_json)
        retries = _IDEMPOTENT_RETRIES if idempotency_key is not None else 0
        attempt = 0
        while True:
            try:
                return self.__api_request("POST", "/api/v1/statuses", params, headers=headers, use_json=use_json)
            except MastodonNetworkError:
                # Without a key a retry could post twice; with one the server deduplicates.
                if attempt >= retries:
                    raise
                _sleep(_IDEMPOTENT_RETRY_WAIT * (2 ** attempt))
                attempt += 1

    # A status, or with scheduled_at the scheduled status.
    @overload
    def status_post(self, status: str, in_reply_to_id: Optional[Union[Status, IdType]] = None,
                    media_ids: Optional[Sequence[Union[MediaAttachment, IdType]]] = None, sensitive: bool = False,
                    visibility: Optional[str] = None, spoiler_text: Optional[str] = None,
                    language: Optional[str] = None, idempotency_key: Optional[str] = None,
                    content_type: Optional[str] = None, scheduled_at: None = None,
                    poll: Optional[Union[Poll, IdType]] = None,
                    quote_id: Optional[Union[Status, IdType]] = None, strict_content_type: bool = False,
                    quoted_status_id: Optional[Union[Status, IdType]] = None,
                    quote_approval_policy: Optional[str] = None) -> Status: ...
    @overload
    def status_post(self, status: str, in_reply_to_id: Optional[Union[Status, IdType]] = None,
                    media_ids: Optional[Sequence[Union[MediaAttachment, IdType]]] = None, sensitive: bool = False,
                    visibility: Optional[str] = None, spoiler_text: Optional[str] = None,
                    language: Optional[str] = None, idempotency_key: Optional[str] = None,
                    content_type: Optional[str] = None, scheduled_at: DateTime = ...,
                    poll: Optional[Union[Poll, IdType]] = None,
                    quote_id: Optional[Union[Status, IdType]] = None, strict_content_type: bool = False,
                    quoted_status_id: Optional[Union[Status, IdType]] = None,
                    quote_approval_policy: Optional[str] = None) -> ScheduledStatus: ...
    @overload
    def status_post(self, status: str, in_reply_to_id: Optional[Union[Status, IdType]] = None,
                    media_ids: Optional[Sequence[Union[MediaAttachment, IdType]]] = None, sensitive: bool = False,
                    visibility: Optional[str] = None, spoiler_text: Optional[str] = None,
                    language: Optional[str] = None, idempotency_key: Optional[str] = None,
                    content_type: Optional[str] = None, scheduled_at: Optional[DateTime] = None,
                    poll: Optional[Union[Poll, IdType]] = None,
                    quote_id: Optional[Union[Status, IdType]] = None, strict_content_type: bool = False,
                    quoted_status_id: Optional[Union[Status, IdType]] = None,
                    quote_approval_policy: Optional[str] = None) -> Union[Status, ScheduledStatus]: ...

    @api_version("1.0.0", "2.8.0", _DICT_VERSION_STATUS)
    def status_post(self, status: str, in_reply_to_id: Optional[Union[Status, IdType]] = None,
                    media_ids: Optional[Sequence[Union[MediaAttachment, IdType]]] = None, sensitive: bool = False,
                    visibility: Optional[str] = None, spoiler_text: Optional[str] = None,
                    language: Optional[str] = None, idempotency_key: Optional[str] = None,
                    content_type: Optional[str] = None, scheduled_at: Optional[DateTime] = None,
                    poll: Optional[Union[Poll, IdType]] = None,
                    quote_id: Optional[Union[Status, IdType]] = None, strict_content_type: bool = False,
                    quoted_status_id: Optional[Union[Status, IdType]] = None,
                    quote_approval_policy: Optional[str] = None) -> Union[Status, ScheduledStatus]:
        """Post a status. Returns the new Status, or a ScheduledStatus when ``scheduled_at`` is given.

        ``visibility`` is one of ``public``, ``unlisted``, ``private``, ``direct``; ``media_ids`` are
        ids (or MediaAttachments) from :meth:`media_post`; ``poll`` comes from :meth:`make_poll`
        (a status cannot have both in dialect ``"1.8"``; dialect ``"2"`` sends both, and always
        sends ``sensitive``, as Mastodon.py 2.3.3). ``scheduled_at`` is a datetime. ``idempotency_key`` is sent as
        the ``Idempotency-Key`` header: the server then posts the status only once, and the library
        retries a request whose connection dropped. ``quote_id`` needs feature set ``fedibird``,
        ``content_type`` feature set ``pleroma`` (or ``strict_content_type=True``).
        ``quoted_status_id`` and ``quote_approval_policy`` are the Mastodon 4.5 quote options.

        Raises MastodonIllegalArgumentError (a ValueError) for invalid arguments, before sending.
        """
        return self.__status_internal(
            status, in_reply_to_id=in_reply_to_id, media_ids=media_ids, sensitive=sensitive,
            visibility=visibility, spoiler_text=spoiler_text, language=language,
            idempotency_key=idempotency_key, content_type=content_type, scheduled_at=scheduled_at, poll=poll,
            quote_id=quote_id, strict_content_type=strict_content_type, quoted_status_id=quoted_status_id,
            quote_approval_policy=quote_approval_policy)

    @api_version("1.0.0", "2.8.0", _DICT_VERSION_STATUS)
    def toot(self, status: str) -> Status:
        """Post a public status with just this text. Returns the Status."""
        return self.status_post(status)

    @rebinding
    @api_version("1.0.0", "2.8.0", _DICT_VERSION_STATUS)
    def status_reply(self, to_status: Union[Status, Dict[str, Any]], status: str,
                     in_reply_to_id: Optional[Union[Status, IdType]] = None,
                     media_ids: Optional[Sequence[Union[MediaAttachment, IdType]]] = None,
                     sensitive: bool = False, visibility: Optional[str] = None,
                     spoiler_text: Optional[str] = None, language: Optional[str] = None,
                     idempotency_key: Optional[str] = None, content_type: Optional[str] = None,
                     scheduled_at: Optional[DateTime] = None, poll: Optional[Union[Poll, IdType]] = None,
                     untag: bool = False, quote_id: Optional[Union[Status, IdType]] = None,
                     strict_content_type: bool = False,
                     quoted_status_id: Optional[Union[Status, IdType]] = None,
                     quote_approval_policy: Optional[str] = None) -> Status:
        """Reply to ``to_status`` (a Status), mentioning its author and, unless ``untag``, everyone it
        mentions except you. Visibility and content warning are taken from the status when not given.
        ``in_reply_to_id`` is ignored (the reply always goes to ``to_status``). In dialect ``"2"``
        the arguments bind as in Mastodon.py 2.x: the third positional is ``media_ids``.

        Returns the new Status. A ``to_status`` that is not a status raises a TypeError (which is also
        a MastodonIllegalArgumentError) before anything is sent.
        """
        try:
            reply_to_id = _field(to_status, "id")
            account = _field(to_status, "account")
            author = (_field(account, "id"), _field(account, "acct"))
            mentions = [] if untag else [(_field(m, "id"), _field(m, "acct"))
                                         for m in (to_status.get("mentions") or ())]
        except (AttributeError, KeyError, TypeError) as e:
            raise _NotAStatusError("to_status must be a status dict") from e

        user_id = self.__get_logged_in_id()
        mentioned = {author[0]: author[1]}
        for account_id, acct in mentions:
            if account_id != user_id and account_id not in mentioned:
                mentioned[account_id] = acct
        status = " ".join("@" + acct for acct in mentioned.values()) + " " + status

        if visibility is None and "visibility" in to_status:
            visibility = to_status["visibility"]
        if spoiler_text is None and "spoiler_text" in to_status:
            spoiler_text = to_status["spoiler_text"]

        # With scheduled_at the answer is a ScheduledStatus, cast (by the declared return type,
        # Mastodon.py's) as a Status: that cast is a run-time matter, left as it is.
        return self.status_post(  # type: ignore[return-value]
            status, in_reply_to_id=reply_to_id, media_ids=media_ids, sensitive=sensitive, visibility=visibility,
            spoiler_text=spoiler_text, language=language, idempotency_key=idempotency_key,
            content_type=content_type, scheduled_at=scheduled_at, poll=poll, quote_id=quote_id,
            strict_content_type=strict_content_type, quoted_status_id=quoted_status_id,
            quote_approval_policy=quote_approval_policy)

    @rebinding
    @api_version("3.5.0", "3.5.0", _DICT_VERSION_STATUS)
    def status_update(self, id: Union[Status, IdType], status: Optional[str] = None, spoiler_text: Optional[str] = None,
                      sensitive: Optional[bool] = None,
                      media_ids: Optional[Sequence[Union[MediaAttachment, IdType]]] = None,
                      poll: Optional[Union[Poll, IdType]] = None,
                      media_attributes: Optional[List[Dict[str, Any]]] = None,
                      quote_approval_policy: Optional[str] = None) -> Status:
        """Edit one of your statuses. Only the given fields are sent. Returns the updated Status.

        ``media_attributes`` is a list of dicts from :meth:`generate_media_edit_attributes`
        (the request is then sent as JSON). Raises MastodonIllegalArgumentError for invalid input.
        In dialect ``"2"`` ``status`` is required, as in Mastodon.py 2.x (TypeError without it).
        """
        return self.__status_internal(
            status, media_ids=media_ids, sensitive=sensitive, spoiler_text=spoiler_text, poll=poll, edit=id,
            quote_approval_policy=quote_approval_policy, media_attributes=media_attributes)

    def generate_media_edit_attributes(self, id: Union[MediaAttachment, IdType],
                                       description: Optional[str] = None,
                                       focus: Optional[Tuple[float, float]] = None,
                                       thumbnail: Optional[PathOrFile] = None,
                                       thumb_mimetype: Optional[str] = None) -> Dict[str, Any]:
        """A dict describing new attributes of an attached media, for
        ``status_update(media_attributes=[...])``. No request is made.

        ``focus`` is an ``(x, y)`` pair; ``thumbnail`` a path or data (with ``thumb_mimetype``) and
        needs Mastodon 3.2.0 (MastodonVersionError otherwise).
        """
        attributes = {"id": self.__unpack_id(id)}
        if description is not None:
            attributes["description"] = description
        if focus is not None:
            if not isinstance(focus, (tuple, list)) or len(focus) != 2:
                raise MastodonIllegalArgumentError("focus must be an (x, y) pair")
            attributes["focus"] = format_focus(focus)
        if thumbnail is not None:
            if not self.verify_minimum_version("3.2.0", cached=True):
                raise MastodonVersionError("Thumbnail requires version > 3.2.0")
            attributes["thumbnail"] = self.__encode_data_uri(thumbnail, thumb_mimetype)
        return attributes

    @api_version("1.0.0", "1.0.0", "1.0.0")
    def status_delete(self, id: Union[Status, IdType], delete_media: Optional[bool] = None) -> Status:
        """Delete one of your statuses. Returns the deleted Status with its source text, for
        redrafting. ``delete_media=True`` also deletes its media at once (Mastodon 4.4)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(delete_media=delete_media))
        return self.__api_request("DELETE", f"/api/v1/statuses/{id}", params)

    # -----------------------------------------------------------------------------------------
    # Interactions

    @api_version("1.0.0", "2.0.0", _DICT_VERSION_STATUS)
    def status_reblog(self, id: Union[Status, IdType], visibility: Optional[str] = None) -> Status:
        """Reblog (boost) a status, optionally with ``visibility`` ``public``, ``unlisted`` or
        ``private``. Returns the new reblog Status (the original is in its ``reblog``).
        An unknown visibility raises MastodonIllegalArgumentError (a ValueError)."""
        visibility = checked_visibility(visibility)
        params = self.__generate_params(dict(visibility=visibility))
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/statuses/{id}/reblog", params)

    @api_version("1.0.0", "2.0.0", _DICT_VERSION_STATUS)
    def status_unreblog(self, id: Union[Status, IdType]) -> Status:
        """Undo a reblog. Returns the original Status."""
        return self.__status_action(id, "unreblog")

    @api_version("1.0.0", "2.0.0", _DICT_VERSION_STATUS)
    def status_favourite(self, id: Union[Status, IdType]) -> Status:
        """Favourite a status. Returns the Status."""
        return self.__status_action(id, "favourite")

    @api_version("1.0.0", "2.0.0", _DICT_VERSION_STATUS)
    def status_unfavourite(self, id: Union[Status, IdType]) -> Status:
        """Remove a favourite. Returns the Status."""
        return self.__status_action(id, "unfavourite")

    @api_version("1.4.0", "2.0.0", _DICT_VERSION_STATUS)
    def status_mute(self, id: Union[Status, IdType]) -> Status:
        """Stop notifications about the conversation of a status. Returns the Status."""
        return self.__status_action(id, "mute")

    @api_version("1.4.0", "2.0.0", _DICT_VERSION_STATUS)
    def status_unmute(self, id: Union[Status, IdType]) -> Status:
        """Resume notifications about the conversation of a status. Returns the Status."""
        return self.__status_action(id, "unmute")

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_STATUS)
    def status_pin(self, id: Union[Status, IdType]) -> Status:
        """Pin one of your statuses to your profile. Returns the Status."""
        return self.__status_action(id, "pin")

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_STATUS)
    def status_unpin(self, id: Union[Status, IdType]) -> Status:
        """Unpin a status from your profile. Returns the Status."""
        return self.__status_action(id, "unpin")

    @api_version("3.1.0", "3.1.0", _DICT_VERSION_STATUS)
    def status_bookmark(self, id: Union[Status, IdType]) -> Status:
        """Bookmark a status. Returns the Status."""
        return self.__status_action(id, "bookmark")

    @api_version("3.1.0", "3.1.0", _DICT_VERSION_STATUS)
    def status_unbookmark(self, id: Union[Status, IdType]) -> Status:
        """Remove a bookmark. Returns the Status."""
        return self.__status_action(id, "unbookmark")

    @api_version("4.5.0", "4.5.0", "4.6.0")
    def status_quote_revoke(self, id: Union[Status, IdType], quoting_status_id: Union[Status, IdType]
                            ) -> Status:
        """Revoke the quote of your status ``id`` by ``quoting_status_id``. Returns the quoting Status."""
        id = self.__unpack_id(id)
        quoting_status_id = self.__unpack_id(quoting_status_id)
        return self.__api_request("POST", f"/api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke")

    @api_version("4.5.0", "4.5.0", "4.6.0")
    def status_update_quote_approval_policy(self, id: Union[Status, IdType], quote_approval_policy: str
                                            ) -> Status:
        """Set who may quote one of your statuses (``public``, ``followers``, ``nobody``). Returns the Status."""
        params = self.__generate_params(dict(quote_approval_policy=quote_approval_policy))
        id = self.__unpack_id(id)
        return self.__api_request("PUT", f"/api/v1/statuses/{id}/interaction_policy", params)

    def __status_action(self, id, action):
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/statuses/{id}/{action}")

    # -----------------------------------------------------------------------------------------
    # Scheduled statuses

    @api_version("2.7.0", "2.7.0", _DICT_VERSION_SCHEDULED_STATUS)
    def scheduled_statuses(self, max_id: Optional[Union[Status, IdType, DateTime]] = None,
                           min_id: Optional[Union[Status, IdType, DateTime]] = None,
                           since_id: Optional[Union[Status, IdType, DateTime]] = None,
                           limit: Optional[int] = None) -> PaginatableList[ScheduledStatus]:
        """Your statuses scheduled for later (paginated list of ScheduledStatus)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/scheduled_statuses", params)

    @api_version("2.7.0", "2.7.0", _DICT_VERSION_SCHEDULED_STATUS)
    def scheduled_status(self, id: Union[ScheduledStatus, IdType]) -> ScheduledStatus:
        """One scheduled status (ScheduledStatus)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/scheduled_statuses/{id}")

    @api_version("2.7.0", "2.7.0", _DICT_VERSION_SCHEDULED_STATUS)
    def scheduled_status_update(self, id: Union[Status, IdType], scheduled_at: DateTime) -> ScheduledStatus:
        """Move a scheduled status to ``scheduled_at`` (a datetime). Returns the ScheduledStatus.
        A non-datetime raises MastodonIllegalArgumentError before sending."""
        scheduled_at = self.__consistent_isoformat_utc(scheduled_at)
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(scheduled_at=scheduled_at))
        return self.__api_request("PUT", f"/api/v1/scheduled_statuses/{id}", params)

    @api_version("2.7.0", "2.7.0", "2.7.0")
    def scheduled_status_delete(self, id: Union[Status, IdType]) -> None:
        """Cancel a scheduled status. Returns None."""
        id = self.__unpack_id(id)
        self.__api_request("DELETE", f"/api/v1/scheduled_statuses/{id}")

    # -----------------------------------------------------------------------------------------
    # Embedding

    @api_version("1.0.0", "1.0.0")
    def oembed(self, url: str, maxwidth: Optional[int] = None, maxheight: Optional[int] = None) -> Entity:
        """The oEmbed document of a status given by its URL (a dict with ``html`` to embed,
        ``width``, ``height``, ``author_name``, ``provider_name`` and the other oEmbed fields)."""
        params = self.__generate_params(dict(url=url, maxwidth=maxwidth, maxheight=maxheight))
        return self.__api_request("GET", "/api/oembed", params)
