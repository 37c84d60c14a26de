"""Accounts: reading profiles, following, blocking and muting, the own profile, sign-up."""

from __future__ import annotations

from typing import Literal, Sequence, overload

from .return_types import (  # noqa: F401 (used in annotations)
    Account, AccountCreationError, DateTime, FamiliarFollowers, IdType, List, NonPaginatableList,
    Optional, PaginatableList, PathOrFile, Relationship, Status, Tag, Tuple, Union, UserList,
)
from .defaults import _DEFAULT_SCOPES
from .errors import MastodonError, MastodonIllegalArgumentError, MastodonNotFoundError
from ._credentials import write_secret_file
from ._links import OffsetPaging
from .internals import Mastodon as Internals
from .types_base import AttribAccessDict
from .versions import (
    _DICT_VERSION_ACCOUNT, _DICT_VERSION_FAMILIAR_FOLLOWERS, _DICT_VERSION_HASHTAG, _DICT_VERSION_LIST,
    _DICT_VERSION_RELATIONSHIP, _DICT_VERSION_STATUS, api_version,
)

_MAX_PROFILE_FIELDS = 4

# create_account(return_detailed_error=True): (token, {}), or (None, the server's error).
_DetailedSignUp = Union[Tuple[str, AttribAccessDict], Tuple[None, AccountCreationError]]


class Mastodon(Internals):
    # -----------------------------------------------------------------------------------------
    # Reading accounts

    @api_version("1.0.0", "1.0.0", _DICT_VERSION_ACCOUNT)
    def account(self, id: Union[Account, IdType]) -> Account:
        """The account with the given id (Account). Unknown ids raise MastodonNotFoundError."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/accounts/{id}")

    @api_version("4.3.0", "4.3.0")
    def accounts(self, ids: Sequence[Union[Account, IdType]]) -> List[Account]:
        """Several accounts at once (list of Account); ``ids`` is one id/account or a list of them."""
        ids = self.__unpack_id(ids, dateconv=True, listify=True)
        return self.__api_request("GET", "/api/v1/accounts", self.__generate_params(dict(id=ids)))

    @api_version("1.0.0", "2.1.0", _DICT_VERSION_ACCOUNT)
    def account_verify_credentials(self) -> Account:
        """The logged-in account, with its ``source`` (private profile data) (Account)."""
        return self.__api_request("GET", "/api/v1/accounts/verify_credentials")

    @api_version("1.0.0", "2.1.0", _DICT_VERSION_ACCOUNT)
    def me(self) -> Account:
        """The logged-in account (Account); the same as :meth:`account_verify_credentials`."""
        return self.account_verify_credentials()

    @api_version("3.4.0", "3.4.0", _DICT_VERSION_ACCOUNT)
    def account_lookup(self, acct: str) -> Account:
        """The account with the webfinger address ``acct`` (``user`` or ``user@domain``) (Account).

        Raises MastodonNotFoundError when the server knows no such account.
        """
        return self.__api_request("GET", "/api/v1/accounts/lookup", self.__generate_params(dict(acct=acct)))

    @api_version("1.0.0", "2.8.0", _DICT_VERSION_STATUS)
    def account_statuses(self, id: Union[Account, IdType], only_media: bool = False, pinned: bool = False,
                         exclude_replies: bool = False, exclude_reblogs: bool = False,
                         tagged: Optional[str] = None,
                         max_id: Optional[Union[Status, IdType, DateTime]] = None,
                         min_id: Optional[Union[Status, IdType, DateTime]] = None,
                         since_id: Optional[Union[Status, IdType, DateTime]] = None,
                         limit: Optional[int] = None, exclude_direct: bool = False) -> PaginatableList[Status]:
        """Statuses posted by an account, newest first (paginated list of Status).

        ``only_media``, ``pinned``, ``exclude_replies``, ``exclude_reblogs`` and
        ``exclude_direct`` filter the list (each sent only when True); ``tagged`` limits it to
        statuses with that hashtag.
        """
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(
            only_media=only_media, pinned=pinned, exclude_replies=exclude_replies,
            exclude_reblogs=exclude_reblogs, tagged=tagged, max_id=max_id, min_id=min_id,
            since_id=since_id, limit=limit, exclude_direct=exclude_direct),
            omit_false=("only_media", "pinned", "exclude_replies", "exclude_reblogs", "exclude_direct"))
        return self.__api_request("GET", f"/api/v1/accounts/{id}/statuses", params)

    @api_version("1.0.0", "2.6.0", _DICT_VERSION_ACCOUNT)
    def account_following(self, id: Union[Account, IdType], max_id: Optional[Union[Account, IdType]] = None,
                          min_id: Optional[Union[Account, IdType]] = None,
                          since_id: Optional[Union[Account, IdType]] = None, limit: Optional[int] = None
                          ) -> PaginatableList[Account]:
        """Accounts that the given account follows (paginated list of Account)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", f"/api/v1/accounts/{id}/following", params)

    @api_version("1.0.0", "2.6.0", _DICT_VERSION_ACCOUNT)
    def account_followers(self, id: Union[Account, IdType], max_id: Optional[Union[Account, IdType]] = None,
                          min_id: Optional[Union[Account, IdType]] = None,
                          since_id: Optional[Union[Account, IdType]] = None, limit: Optional[int] = None
                          ) -> PaginatableList[Account]:
        """Accounts that follow the given account (paginated list of Account)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", f"/api/v1/accounts/{id}/followers", params)

    @api_version("1.0.0", "1.4.0", _DICT_VERSION_RELATIONSHIP)
    def account_relationships(self, id: Union[Sequence[Union[Account, IdType]], Union[Account, IdType]],
                              with_suspended: Optional[bool] = None) -> NonPaginatableList[Relationship]:
        """The logged-in user's relationship to one account or a list of accounts (list of Relationship).

        ``with_suspended`` also returns relationships to suspended accounts.
        """
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(id=id, with_suspended=with_suspended))
        return self.__api_request("GET", "/api/v1/accounts/relationships", params)

    @api_version("1.0.0", "2.3.0", _DICT_VERSION_ACCOUNT)
    def account_search(self, q: str, limit: Optional[int] = None, following: bool = False,
                       resolve: bool = False, offset: Optional[int] = None) -> PaginatableList[Account]:
        """Accounts matching ``q`` (list of Account, paged by offset: see :meth:`fetch_next`).

        ``following`` limits the search to followed accounts; ``resolve`` lets the server look up
        remote accounts by webfinger. Both are always sent, as ``'1'`` or ``'0'``.
        """
        params = self.__generate_params(dict(q=q, limit=limit, following=following, resolve=resolve,
                                             offset=offset))
        return self.__api_request("GET", "/api/v1/accounts/search", params, offset_paging=OffsetPaging())

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def account_lists(self, id: Union[Account, IdType]) -> NonPaginatableList[UserList]:
        """The logged-in user's lists that contain the given account (list of UserList)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/accounts/{id}/lists")

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_FAMILIAR_FOLLOWERS)
    def account_familiar_followers(self, id: Union[Sequence[Union[Account, IdType]], Union[Account, IdType]]
                                   ) -> NonPaginatableList[FamiliarFollowers]:
        """For each given account, the accounts followed by the logged-in user that follow it
        (list of FamiliarFollowers, one per account in the order given)."""
        ids = self.__unpack_id(id, listify=True)
        if self.__documented_requests():
            # Servers other than Mastodon read only the documented ``id[]`` query.
            return self.__api_request("GET", "/api/v1/accounts/familiar_followers",
                                      self.__generate_params(dict(id=ids)))
        # Sent as a GET with a JSON body, as Mastodon.py does; Mastodon reads it like a query.
        return self.__api_request("GET", "/api/v1/accounts/familiar_followers",
                                  self.__generate_params(dict(id=ids), for_json=True), use_json=True)

    @api_version("3.3.0", "3.3.0", _DICT_VERSION_HASHTAG)
    def account_featured_tags(self, id: Union[Account, IdType]) -> NonPaginatableList[Tag]:
        """The hashtags an account features on its profile (list of FeaturedTag)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/accounts/{id}/featured_tags")

    # -----------------------------------------------------------------------------------------
    # Acting on accounts

    @api_version("1.0.0", "3.3.0", _DICT_VERSION_RELATIONSHIP)
    def account_follow(self, id: Union[Account, IdType], reblogs: bool = True, notify: bool = False,
                       languages: Optional[List[str]] = None) -> Relationship:
        """Follow an account; returns the new Relationship.

        ``reblogs`` shows their boosts in the home timeline, ``notify`` notifies about their new
        posts, ``languages`` (a list of ISO 639-1 codes) limits which of their posts are shown.
        """
        id = self.__unpack_id(id)
        if isinstance(languages, str):
            languages = [languages]
        params = self.__generate_params(dict(reblogs=reblogs, notify=notify, languages=languages))
        return self.__api_request("POST", f"/api/v1/accounts/{id}/follow", params)

    @api_version("1.0.0", "2.1.0", _DICT_VERSION_RELATIONSHIP)
    def follows(self, uri: str) -> Relationship:
        """Follow the account found by searching for ``uri`` (deprecated; use :meth:`account_follow`).

        Returns the new Relationship; raises MastodonNotFoundError when the search finds nothing.
        """
        try:
            account = self.account_search(uri)[0]
        except (MastodonError, IndexError, KeyError, TypeError) as e:
            raise MastodonNotFoundError("User not found") from e
        return self.account_follow(account)

    @api_version("1.0.0", "1.4.0", _DICT_VERSION_RELATIONSHIP)
    def account_unfollow(self, id: Union[Account, IdType]) -> Relationship:
        """Stop following an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/unfollow")

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_RELATIONSHIP)
    def account_remove_from_followers(self, id: Union[Account, IdType]) -> Relationship:
        """Make an account stop following the logged-in user; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/remove_from_followers")

    @api_version("1.0.0", "1.4.0", _DICT_VERSION_RELATIONSHIP)
    def account_block(self, id: Union[Account, IdType]) -> Relationship:
        """Block an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/block")

    @api_version("1.0.0", "1.4.0", _DICT_VERSION_RELATIONSHIP)
    def account_unblock(self, id: Union[Account, IdType]) -> Relationship:
        """Unblock an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/unblock")

    @api_version("1.1.0", "2.4.3", _DICT_VERSION_RELATIONSHIP)
    def account_mute(self, id: Union[Account, IdType], notifications: bool = True,
                     duration: Optional[int] = None) -> Relationship:
        """Mute an account; returns the new Relationship.

        ``notifications`` also mutes their notifications; ``duration`` (seconds) ends the mute.
        """
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(notifications=notifications, duration=duration))
        return self.__api_request("POST", f"/api/v1/accounts/{id}/mute", params)

    @api_version("1.1.0", "1.4.0", _DICT_VERSION_RELATIONSHIP)
    def account_unmute(self, id: Union[Account, IdType]) -> Relationship:
        """Unmute an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/unmute")

    @api_version("2.5.0", "2.5.0", _DICT_VERSION_RELATIONSHIP)
    def account_pin(self, id: Union[Account, IdType]) -> Relationship:
        """Feature an account on the own profile (deprecated by Mastodon; see :meth:`account_endorse`).

        Returns the new Relationship.
        """
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/pin")

    @api_version("2.5.0", "2.5.0", _DICT_VERSION_RELATIONSHIP)
    def account_unpin(self, id: Union[Account, IdType]) -> Relationship:
        """Stop featuring an account on the own profile; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/unpin")

    @api_version("4.4.0", "4.4.0")
    def account_endorse(self, id: Union[Account, IdType]) -> Relationship:
        """Feature (endorse) an account on the own profile; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/endorse")

    @api_version("4.4.0", "4.4.0")
    def account_unendorse(self, id: Union[Account, IdType]) -> Relationship:
        """Stop endorsing an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/accounts/{id}/unendorse")

    @api_version("3.2.0", "3.2.0", _DICT_VERSION_RELATIONSHIP)
    def account_note_set(self, id: Union[Account, IdType], comment: str) -> Relationship:
        """Set the logged-in user's private note on an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(comment=comment))
        return self.__api_request("POST", f"/api/v1/accounts/{id}/note", params)

    # -----------------------------------------------------------------------------------------
    # The own profile

    @api_version("1.1.1", "3.1.0", _DICT_VERSION_ACCOUNT)
    def account_update_credentials(self, display_name: Optional[str] = None, note: Optional[str] = None,
                                   avatar: Optional[PathOrFile] = None,
                                   avatar_mime_type: Optional[str] = None,
                                   header: Optional[PathOrFile] = None,
                                   header_mime_type: Optional[str] = None, locked: Optional[bool] = None,
                                   bot: Optional[bool] = None, discoverable: Optional[bool] = None,
                                   fields: Optional[List[Tuple[str, str]]] = None,
                                   hide_collections: Optional[bool] = None, indexable: Optional[bool] = None,
                                   attribution_domains: Optional[List[str]] = None,
                                   default_privacy: Optional[str] = None,
                                   default_sensitive: Optional[bool] = None,
                                   default_language: Optional[str] = None,
                                   default_quote_policy: Optional[str] = None,
                                   avatar_description: Optional[str] = None,
                                   header_description: Optional[str] = None) -> Account:
        """Update the logged-in user's profile; returns the updated Account.

        ``avatar`` and ``header`` are image paths, bytes or file objects (bytes and file objects
        need the matching ``*_mime_type``). ``fields`` is a list of at most four
        ``(name, value)`` pairs and replaces all profile fields. ``default_privacy``,
        ``default_sensitive``, ``default_language`` and ``default_quote_policy`` set the posting
        defaults (``source``); ``avatar_description`` and ``header_description`` describe the
        images (Mastodon 4.6.1). Everything is checked before the request, so invalid input raises
        MastodonIllegalArgumentError (or MastodonFileNotFoundError) and changes nothing.
        """
        field_params = _profile_field_params(fields)
        files = {}
        if avatar is not None:
            files["avatar"] = self.__load_media_file(avatar, avatar_mime_type)
        if header is not None:
            files["header"] = self.__load_media_file(header, header_mime_type)
        if isinstance(attribution_domains, str):
            attribution_domains = [attribution_domains]

        params = self.__generate_params({
            "display_name": display_name, "note": note, "locked": locked, "bot": bot,
            "discoverable": discoverable, "hide_collections": hide_collections, "indexable": indexable,
            "source[privacy]": default_privacy, "source[sensitive]": default_sensitive,
            "source[language]": default_language, "source[quote_policy]": default_quote_policy,
            "avatar_description": avatar_description, "header_description": header_description,
        })
        params.update(field_params)
        params.update(self.__generate_params(dict(attribution_domains=attribution_domains)))
        return self.__api_request("PATCH", "/api/v1/accounts/update_credentials", params, files=files)

    @api_version("4.2.0", "4.2.0")
    def account_delete_avatar(self) -> Account:
        """Remove the logged-in user's avatar; returns the updated Account (Mastodon.py 2.2 returned None)."""
        return self.__api_request("DELETE", "/api/v1/profile/avatar")

    @api_version("4.2.0", "4.2.0")
    def account_delete_header(self) -> Account:
        """Remove the logged-in user's header image; returns the updated Account (Mastodon.py 2.2
        returned None)."""
        return self.__api_request("DELETE", "/api/v1/profile/header")

    # -----------------------------------------------------------------------------------------
    # Sign-up

    # The new token, or with return_detailed_error a _DetailedSignUp.
    @overload
    def create_account(self, username: str, password: str, email: str, agreement: bool = False,
                       reason: Optional[str] = None, locale: str = "en", scopes: List[str] = _DEFAULT_SCOPES,
                       to_file: Optional[str] = None, return_detailed_error: Literal[False] = False,
                       date_of_birth: Optional[DateTime] = None) -> str: ...
    @overload
    def create_account(self, username: str, password: str, email: str, agreement: bool = False,
                       reason: Optional[str] = None, locale: str = "en", scopes: List[str] = _DEFAULT_SCOPES,
                       to_file: Optional[str] = None, *, return_detailed_error: Literal[True],
                       date_of_birth: Optional[DateTime] = None) -> _DetailedSignUp: ...
    @overload
    def create_account(self, username: str, password: str, email: str, agreement: bool = False,
                       reason: Optional[str] = None, locale: str = "en", scopes: List[str] = _DEFAULT_SCOPES,
                       to_file: Optional[str] = None, return_detailed_error: bool = False,
                       date_of_birth: Optional[DateTime] = None) -> Union[str, _DetailedSignUp]: ...

    @api_version("2.7.0", "2.7.0", "3.4.0")
    def create_account(self, username: str, password: str, email: str, agreement: bool = False,
                       reason: Optional[str] = None, locale: str = "en", scopes: List[str] = _DEFAULT_SCOPES,
                       to_file: Optional[str] = None, return_detailed_error: bool = False,
                       date_of_birth: Optional[DateTime] = None) -> Union[str, _DetailedSignUp]:
        """Register a new account with this client's app credentials and log in as it.

        ``agreement`` must be True (the server rules were accepted); ``reason`` is needed on
        servers that approve sign-ups by hand; ``date_of_birth`` (a date or ``YYYY-MM-DD``) on
        servers with a minimum age. On success the new token is used from now on (and saved to
        ``to_file`` with mode 0600) and returned, as ``(token, {})`` with ``return_detailed_error``.

        When the server refuses, ``return_detailed_error=True`` gives ``(None, error)`` where
        ``error.details`` holds the per-field reasons (``error.details.username[0].error``);
        otherwise MastodonIllegalArgumentError is raised, carrying the same ``details``.
        """
        if not self.client_id or not self.client_secret:
            raise MastodonIllegalArgumentError("Creating an account needs the app's client id and client secret.")
        params = self.__generate_params(dict(
            username=username, password=password, email=email, agreement=agreement, reason=reason,
            locale=locale, return_detailed_error=return_detailed_error, date_of_birth=date_of_birth),
            omit_false=("agreement",), days=("date_of_birth",))
        params["client_id"] = self.client_id
        params["client_secret"] = self.client_secret

        token_params = dict(scope=" ".join(scopes), client_id=self.client_id, client_secret=self.client_secret,
                            grant_type="client_credentials")
        try:
            app_token = self.__api_request("POST", "/oauth/token", token_params,
                                           do_ratelimiting=False)["access_token"]
        except Exception as e:
            raise MastodonIllegalArgumentError(f"Invalid request during oauth phase: {e}") from e

        try:
            response = self.__api_request("POST", "/api/v1/accounts", params, access_token_override=app_token,
                                          do_ratelimiting=False, skip_error_check=True,
                                          return_response_object=True)
        except Exception as e:
            raise MastodonIllegalArgumentError(f"Invalid request: {e}") from e
        decoder = self.__dialect.decoder
        try:
            result = decoder.parse(response.content)
        except (ValueError, RecursionError):
            result = None

        if isinstance(result, dict) and "error" in result:
            if return_detailed_error:
                # Row T2: the error as the dialect gives it (in "2" with every declared field).
                return None, decoder.cast_entity(result, AccountCreationError)
            raise _account_creation_error(result, response)
        if not response.ok or not isinstance(result, dict) or "access_token" not in result:
            error = MastodonIllegalArgumentError(
                f"Invalid request: account creation answered {response.status_code} without a token")
            error.status_code, error.reason, error.response = response.status_code, response.reason, response
            raise error

        self.__adopt_token(result, scopes)
        token = result["access_token"]  # now self.access_token
        if to_file is not None:
            write_secret_file(to_file, [token, self.api_base_url])
        if return_detailed_error:
            return token, AttribAccessDict()
        return token

    @api_version("3.4.0", "3.4.0", "3.4.0")
    def email_resend_confirmation(self) -> None:
        """Send the sign-up confirmation e-mail again (for an account that is not confirmed yet)."""
        self.__api_request("POST", "/api/v1/emails/confirmations")


def _profile_field_params(fields, max_fields=_MAX_PROFILE_FIELDS):
    """``fields_attributes[i][name|value]`` form keys for ``(name, value)`` pairs (at most
    ``max_fields`` of them, when given)."""
    if fields is None:
        return {}
    if isinstance(fields, (str, bytes, dict)):
        raise MastodonIllegalArgumentError("fields must be a list of (name, value) pairs")
    try:
        fields = list(fields)
    except TypeError:
        raise MastodonIllegalArgumentError("fields must be a list of (name, value) pairs") from None
    if max_fields is not None and len(fields) > max_fields:
        raise MastodonIllegalArgumentError(f"A profile has at most {max_fields} fields, got {len(fields)}")
    params = {}
    for index, field in enumerate(fields):
        if isinstance(field, dict) and "name" in field and "value" in field:
            name, value = field["name"], field["value"]
        elif isinstance(field, (tuple, list)) and len(field) == 2:
            name, value = field
        else:
            raise MastodonIllegalArgumentError(
                f"Profile field {index} must be a (name, value) pair, got {field!r}")
        params[f"fields_attributes[{index}][name]"] = name
        params[f"fields_attributes[{index}][value]"] = value
    return params


def _account_creation_error(result, response):
    """The exception for a refused sign-up, naming the fields the server complained about."""
    details = result.get("details")
    message = f"Account creation failed: {result.get('error')}"
    if isinstance(details, dict) and details:
        reasons = []
        for field, problems in details.items():
            codes = [p.get("error") or p.get("description") for p in problems if isinstance(p, dict)] \
                if isinstance(problems, list) else []
            reasons.append(f"{field} ({', '.join(str(c) for c in codes)})" if codes else str(field))
        message += " [" + "; ".join(reasons) + "]"
    error = MastodonIllegalArgumentError(message)
    error.status_code = response.status_code
    error.reason = response.reason
    error.error = result.get("error")
    error.details = details
    error.response = response
    return error
