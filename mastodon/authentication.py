"""Construction, app registration, OAuth log-in and token handling."""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import secrets
from urllib.parse import urlencode, urlsplit

from typing import Callable

import requests


from .return_types import (  # noqa: F401 (used in annotations)
    Application, List, OAuthServerInfo, OAuthUserInfo, Optional, PurePath, Session, Tuple, Union,
)
from .defaults import _DEFAULT_SCOPES, _DEFAULT_TIMEOUT, _DEFAULT_USER_AGENT, _SCOPE_SETS
from .errors import MastodonAPIError, MastodonIllegalArgumentError, MastodonNetworkError, MastodonVersionError
from . import _dialect, _transport
from ._credentials import read_secret_file, write_secret_file
from ._links import ascii_int
from ._ratelimit import RateLimiter
from ._state import Caches
from .internals import Mastodon as Internals
from .types_base import AttribAccessDict
from .versions import _DICT_VERSION_APPLICATION, api_version, parse_version_string, typed_result

_OOB = "urn:ietf:wg:oauth:2.0:oob"
# OAuth errors (RFC 6749 5.2) of a server that does not offer the password grant, or not to this
# app: Mastodon 4.4 removed it.
_REFUSED_GRANT = ("unsupported_grant_type", "unauthorized_client")


def _protocolize(base_url):
    return Internals._Mastodon__protocolize(base_url)


class Mastodon(Internals):
    @staticmethod
    def create_app(client_name: str, scopes: List[str] = _DEFAULT_SCOPES,
                   redirect_uris: Optional[Union[str, List[str]]] = None, website: Optional[str] = None,
                   to_file: Optional[Union[str, PurePath]] = None, api_base_url: Optional[str] = None,
                   request_timeout: float = _DEFAULT_TIMEOUT, session: Optional[Session] = None,
                   user_agent: str = _DEFAULT_USER_AGENT) -> Tuple[str, str]:
        """Register an application with the server and return ``(client_id, client_secret)``.

        ``redirect_uris`` may be one URI or a list; it defaults to the out-of-band URI. With
        ``to_file`` the credentials are saved (mode 0600) for a later ``Mastodon(client_id=to_file)``.
        Any failure raises :class:`MastodonNetworkError`.
        """
        if api_base_url is None:
            raise MastodonIllegalArgumentError("API base URL is required.")
        api_base_url = _protocolize(api_base_url)

        request_data = {"client_name": client_name, "scopes": " ".join(scopes)}
        if redirect_uris is not None:
            if isinstance(redirect_uris, (list, tuple)):
                redirect_uris = "\n".join(redirect_uris)
            request_data["redirect_uris"] = redirect_uris
        else:
            request_data["redirect_uris"] = _OOB
        if website is not None:
            request_data["website"] = website
        headers = {"User-Agent": user_agent} if user_agent else {}

        response = _transport.send(_transport.ByVerb(session if session is not None else requests), "POST",
                                   api_base_url + "/api/v1/apps", data=request_data, headers=headers,
                                   timeout=request_timeout)
        try:
            answer = response.json()
        except ValueError as e:
            raise MastodonNetworkError(
                f"Could not complete request: app registration answered {response.status_code} "
                f"with a body that is not JSON") from e
        if not isinstance(answer, dict) or "client_id" not in answer or "client_secret" not in answer:
            error = answer.get("error") if isinstance(answer, dict) else None
            raise MastodonNetworkError(
                f"Could not complete request: app registration answered {response.status_code}"
                + (f": {error}" if error else " without client credentials"))
        client_id, client_secret = answer["client_id"], answer["client_secret"]

        if to_file is not None:
            write_secret_file(to_file, [client_id, client_secret, api_base_url, client_name])
        return client_id, client_secret

    def __init__(self, client_id: Optional[Union[str, PurePath]] = None, client_secret: Optional[str] = None,
                 access_token: Optional[Union[str, PurePath]] = None, api_base_url: Optional[str] = None,
                 debug_requests: bool = False, ratelimit_method: str = "wait",
                 ratelimit_pacefactor: float = 1.1, request_timeout: float = _DEFAULT_TIMEOUT,
                 mastodon_version: Optional[str] = None,
                 version_check_mode: str = _dialect.VERSION_CHECK_MODE_DEFAULT,
                 session: Optional[Session] = None, feature_set: str = "mainline",
                 user_agent: str = _DEFAULT_USER_AGENT, lang: Optional[str] = None,
                 dialect: Optional[str] = None,
                 ratelimit_callback: Optional[Callable[[float, str], object]] = None) -> None:
        """Create an API client.

        ``client_id`` and ``access_token`` may be paths of credential files written by
        :meth:`create_app` and :meth:`log_in`. ``ratelimit_method`` is ``'throw'``, ``'wait'``
        or ``'pace'``. ``version_check_mode`` (``'created'``, ``'changed'`` or ``'none'``)
        decides whether methods refuse to run on servers too old for them; unless it is
        ``'none'`` (or ``mastodon_version`` is given) the server version is fetched now.

        ``dialect`` is ``"1.8"`` (Mastodon.py 1.8.1's behaviour) or ``"2"`` (Mastodon.py 2.x's);
        when it is None the environment variable ``MASTODON_PY_DIALECT`` decides, else ``"1.8"``.
        Left out, ``version_check_mode`` is ``'created'`` in dialect ``"1.8"`` and ``'none'`` in
        dialect ``"2"``. Any other dialect raises :class:`MastodonIllegalArgumentError`.

        ``ratelimit_callback`` is called as ``ratelimit_callback(seconds, reason)`` before each
        rate-limit wait (``reason`` ``"429"``: a rate-limited call waited out; ``"pace"``: pace
        mode spacing the calls); the waits are logged on the ``mastodon`` logger too.
        """
        self.__dialect = _dialect.resolve(dialect)
        base_url = self.__protocolize(api_base_url) if api_base_url is not None else None

        self.client_id = client_id
        self.client_secret = client_secret
        self.access_token = access_token
        self.debug_requests = debug_requests
        self._token_expired = datetime.datetime.now()
        self._refresh_token = None

        self.__pkce_verifier = None
        self.__caches = Caches()
        self.__ratelimiter = RateLimiter(ratelimit_method, ratelimit_pacefactor,
                                         start=self.__dialect.ratelimit_start)
        self.__ratelimiter.callback = ratelimit_callback
        self.request_timeout = request_timeout

        self.session = session if session is not None else _transport.new_session()

        if feature_set not in ("mainline", "fedibird", "pleroma"):
            raise MastodonIllegalArgumentError("Requested invalid feature set")
        self.feature_set = feature_set
        self.user_agent = user_agent
        self.lang = lang

        self.mastodon_major = 1
        self.mastodon_minor = 0
        self.mastodon_patch = 0
        self.__store_version_check_worked(None)
        for name, value in self.__dialect.extra_attributes.items():
            setattr(self, name, value)

        base_url = self.__read_credential_files(base_url)
        if base_url is None:
            raise MastodonIllegalArgumentError("API base URL is required.")
        self.api_base_url = base_url

        version_check_mode = self.__dialect.version_check_mode_for(version_check_mode)
        if version_check_mode not in ("created", "changed", "none"):
            raise MastodonIllegalArgumentError("Invalid version check method.")
        self.version_check_mode = version_check_mode

        if version_check_mode != "none":
            if mastodon_version is None:
                self.retrieve_mastodon_version()
            else:
                try:
                    major, minor, patch = parse_version_string(mastodon_version)
                except MastodonVersionError:
                    raise MastodonVersionError("Bad version specified") from None
                self.mastodon_major, self.mastodon_minor, self.mastodon_patch = major, minor, patch
                # 2.x counts a given version as known: no lazy fetch, no re-fetch after log_in
                # (rows V5, W10); 1.8.1 leaves the flag unset.
                self.__store_version_check_worked(self.__dialect.given_version_worked)


    def __check_base_url(self, file_base_url, path, base_url):
        """The base URL a credential file names, which must be the one given (if one was)."""
        file_base_url = self.__protocolize(file_base_url)
        if base_url is not None and base_url != file_base_url:
            raise MastodonIllegalArgumentError(
                f"Mismatch in base URLs between the file {path} ({file_base_url}) and the "
                f"parameters ({base_url}).")
        return file_base_url

    def __read_credential_files(self, base_url):
        """Load client credentials and tokens from files given in place of the values; returns
        the base URL (the one given, else the one the files name, else None)."""
        if self.client_id is not None and _is_file(self.client_id):
            path = self.client_id
            lines = read_secret_file(path)
            if len(lines) < 2:
                raise MastodonIllegalArgumentError(f"Client credential file {path} is incomplete.")
            self.client_id, self.client_secret = lines[0], lines[1]
            if len(lines) > 2 and lines[2]:
                base_url = self.__check_base_url(lines[2], path, base_url)
            if len(lines) > 3 and lines[3] and self.user_agent is None:
                self.user_agent = lines[3]
        elif self.client_id is not None and self.client_secret is None:
            raise MastodonIllegalArgumentError("Specified client id directly, but did not supply secret")

        if self.access_token is not None and _is_file(self.access_token):
            path = self.access_token
            lines = read_secret_file(path)
            if not lines or not lines[0]:
                raise MastodonIllegalArgumentError(f"Token file {path} is empty.")
            self.access_token = lines[0]
            if len(lines) > 1 and lines[1]:
                base_url = self.__check_base_url(lines[1], path, base_url)
            if self.client_id is None:
                if len(lines) > 2 and lines[2]:
                    self.client_id = lines[2]
                if len(lines) > 3 and lines[3]:
                    self.client_secret = lines[3]
        return base_url

    # -----------------------------------------------------------------------------------------

    def __get_token_expired(self):
        return self._token_expired < datetime.datetime.now()

    def __set_token_expired(self, value):
        self._token_expired = datetime.datetime.now() + datetime.timedelta(seconds=value)

    def __get_refresh_token(self):
        return self._refresh_token

    def __set_refresh_token(self, value):
        self._refresh_token = value

    def clear_caches(self) -> None:
        """Forget cached server information (version, instance, streaming URL, OAuth metadata)."""
        self.__store_version_check_worked(None)
        self.__caches.clear()

    # -----------------------------------------------------------------------------------------

    def auth_request_url(self, client_id: Optional[Union[str, PurePath]] = None, redirect_uris: str = _OOB,
                         scopes: List[str] = _DEFAULT_SCOPES, force_login: bool = False,
                         state: Optional[str] = None, lang: Optional[str] = None,
                         skip_server_info: bool = False, allow_http: bool = False, use_pkce: bool = False) -> str:
        """The URL to send a user to so that they authorise this app.

        No request is made (in dialect ``"2"``, as in Mastodon.py 2.x, the server's OAuth
        metadata is fetched first, once per client, unless ``skip_server_info``). With
        ``use_pkce`` a PKCE (S256) challenge is added; the matching verifier is kept and sent by
        the next :meth:`log_in` with a ``code``. When the server's OAuth metadata is known (see
        :meth:`oauth_authorization_server_info`) and ``skip_server_info`` is False, its
        ``authorization_endpoint`` is used; it must be https unless ``allow_http``.
        """
        if client_id is None:
            client_id = self.client_id
        elif _is_file(client_id):
            client_id = read_secret_file(client_id)[0]

        params = dict(client_id=client_id, response_type="code", redirect_uri=redirect_uris,
                      scope=" ".join(scopes), force_login=force_login, state=state, lang=lang)
        if use_pkce:
            verifier = secrets.token_urlsafe(64)
            self.__pkce_verifier = verifier
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest())
            params["code_challenge"] = challenge.rstrip(b"=").decode("ascii")
            params["code_challenge_method"] = "S256"

        authorize_url = self.api_base_url + "/oauth/authorize"
        info = None if skip_server_info else self.__dialect.oauth_metadata(self)
        if info and info.get("authorization_endpoint"):
            authorize_url = self.__checked_oauth_url(info["authorization_endpoint"], allow_http)
        return authorize_url + "?" + urlencode(params)

    def __checked_oauth_url(self, url, allow_http):
        url = self.__protocolize(url)
        parts = urlsplit(url)
        if parts.scheme != "https" and not allow_http:
            raise MastodonIllegalArgumentError(self.__dialect.oauth_http_error.format(url=url))
        if "?" in url or "#" in url or "@" in parts.netloc:
            raise MastodonIllegalArgumentError(f"OAuth endpoint {url} is malformed")
        return url

    def log_in(self, username: Optional[str] = None, password: Optional[str] = None,
               code: Optional[str] = None, redirect_uri: str = _OOB, refresh_token: Optional[str] = None,
               scopes: List[str] = _DEFAULT_SCOPES, to_file: Optional[Union[str, PurePath]] = None,
               allow_http: bool = False, code_verifier: Optional[str] = None) -> str:
        """Get an access token and start using it; returns the token.

        Give ``username`` and ``password`` (password grant), or a ``code`` from the authorisation
        page (authorization code grant, with the PKCE verifier from :meth:`auth_request_url` if one
        was made, or ``code_verifier``), or a ``refresh_token``. With ``to_file`` the token and
        client credentials are saved (mode 0600).
        """
        if username is not None and password is not None:
            params = dict(username=username, password=password, redirect_uri=redirect_uri)
            grant_type = "password"
            failure = "Invalid user name, password, or redirect_uris"
            self.__dialect.password_grant_check(self)
        elif code is not None:
            params = dict(code=code, redirect_uri=redirect_uri)
            grant_type = "authorization_code"
            failure = "Invalid access token or redirect_uris"
            verifier = code_verifier if code_verifier is not None else self.__pkce_verifier
            if verifier is not None:
                params["code_verifier"] = verifier
        elif refresh_token is not None:
            params = dict(redirect_uri=redirect_uri, refresh_token=refresh_token)
            grant_type = "refresh_token"
            failure = "Invalid request"
        else:
            raise MastodonIllegalArgumentError("Invalid arguments given. username and password or code are required.")

        endpoint, base_url = self.__dialect.oauth_endpoint(self, "token_endpoint", "/oauth/token", allow_http)
        params = self.__generate_params(params)
        params["grant_type"] = grant_type
        params["client_id"] = self.client_id
        params["client_secret"] = self.client_secret
        params["scope"] = " ".join(scopes)

        try:
            response = self.__api_request("POST", endpoint, params, do_ratelimiting=False,
                                          base_url_override=base_url)
            if not isinstance(response, dict) or not isinstance(response.get("access_token"), str):
                raise MastodonAPIError("the token answer holds no access token")
        except Exception as e:
            refusal = getattr(e, "error", None)
            if grant_type == "password" and refusal in _REFUSED_GRANT:
                raise MastodonIllegalArgumentError(
                    f"The server refused the password grant ({refusal}): Mastodon 4.4 and later do not "
                    f"log in with a user name and password. Use the authorization code flow "
                    f"(auth_request_url(), then log_in(code=...)) or an access token from the web "
                    f"interface (Preferences > Development).") from e
            raise MastodonIllegalArgumentError(f"{failure}: {e}") from e
        self.__adopt_token(response, scopes)

        if to_file is not None:
            write_secret_file(to_file, [self.access_token, self.api_base_url, self.client_id, self.client_secret])

        worked = self.__load_version_check_worked()
        if not worked:
            known = (self.mastodon_major, self.mastodon_minor, self.mastodon_patch)
            self.retrieve_mastodon_version()
            if self.__load_version_check_worked() is False:
                # A failed fetch must not replace a version the caller gave with 1.0.0.
                self.mastodon_major, self.mastodon_minor, self.mastodon_patch = known
                self.__store_version_check_worked(worked)
        return response["access_token"]

    def __adopt_token(self, answer, requested_scopes):
        """Start using the token of an OAuth token answer (log-in, refresh, sign-up).

        The granted scopes are checked first, so a refused answer leaves the client as it was.
        """
        granted = answer.get("scope")
        if granted is not None:
            # RFC 6749 5.1: a server may omit the scope when it granted exactly what was asked for.
            self.__check_granted_scopes(str(granted), requested_scopes)
        self.access_token = answer["access_token"]
        self.__set_refresh_token(answer.get("refresh_token"))
        expires_in = answer.get("expires_in")
        if isinstance(expires_in, str):
            expires_in = ascii_int(expires_in)
        self.__set_token_expired(expires_in if expires_in.__class__ is int else 0)
        self.__pkce_verifier = None
        self.__caches.logged_in_id = None

    @staticmethod
    def __check_granted_scopes(granted, requested):
        granted = set(granted.split())
        for scope in list(granted):
            granted.update(_SCOPE_SETS.get(scope, ()))
        if not set(requested) <= granted:
            raise MastodonAPIError(
                f'Granted scopes "{" ".join(sorted(granted))}" do not contain all of the requested '
                f'scopes "{" ".join(requested)}".')

    def persistable_login_credentials(self) -> str:
        """The token file text (token, base URL, client id, client secret) for the current login."""
        if self.access_token is None:
            raise MastodonIllegalArgumentError("Not logged in: there is no access token to persist.")
        if not isinstance(self.client_id, str) or not self.client_id or self.client_secret is None:
            raise MastodonIllegalArgumentError("Client id and secret are needed to persist the login.")
        return "".join(f"{line}\n" for line in (self.access_token, self.api_base_url, self.client_id,
                                                 self.client_secret))

    def revoke_access_token(self, allow_http: bool = False) -> None:
        """Revoke the current access token on the server and forget it."""
        if self.access_token is None:
            raise MastodonIllegalArgumentError("Not logged in, do not have a token to revoke.")
        if self.client_id is None or self.client_secret is None:
            raise MastodonIllegalArgumentError("Client authentication (id + secret) is required to revoke tokens.")
        endpoint, base_url = self.__dialect.oauth_endpoint(self, "revocation_endpoint", "/oauth/revoke", allow_http)
        params = dict(client_id=self.client_id, client_secret=self.client_secret, token=self.access_token)
        self.__api_request("POST", endpoint, params, base_url_override=base_url)
        self.access_token = None
        self.__caches.logged_in_id = None

    @api_version("2.0.0", "2.7.2", _DICT_VERSION_APPLICATION)
    def app_verify_credentials(self) -> Application:
        """The application the current token belongs to (Application)."""
        return self.__api_request("GET", "/api/v1/apps/verify_credentials")

    @typed_result
    def oauth_authorization_server_info(self) -> Union[OAuthServerInfo, AttribAccessDict]:
        """The server's RFC 8414 OAuth metadata (endpoints, supported scopes and PKCE methods).

        Returns an empty AttribAccessDict when the server publishes none, and when the answer came
        from another origin than the API's (a redirect): metadata names where the client secret and
        the authorization code go, so it is only believed from the API itself.
        """
        try:
            response = self.__api_request("GET", "/.well-known/oauth-authorization-server", do_ratelimiting=False,
                                          return_response_object=True)
            info = self.__parse_response(response, self.__dialect.decoder.parse, self.__dialect.json_error_args)
        except MastodonAPIError:
            info = AttribAccessDict()
        else:
            final_url = getattr(response, "url", None)
            if isinstance(final_url, str) and final_url and not _transport.same_origin(self.api_base_url or "",
                                                                                      final_url):
                info = AttribAccessDict()
        if not isinstance(info, dict):
            info = AttribAccessDict()
        self.__caches.oauth_info = info
        return info

    # -----------------------------------------------------------------------------------------
    # OAuth discovery (dialect "2": rows W7, W9, T6)

    def __oauth_metadata(self):
        """The server's OAuth metadata, fetched once per client (empty when it has none)."""
        info = self.__caches.oauth_info
        return info if info is not None else self.oauth_authorization_server_info()

    def __discovered_oauth_url(self, key, path, allow_http):
        """The absolute URL of the OAuth endpoint the metadata names under ``key`` (else the API's
        ``path``), as Mastodon.py 2.x finds it: https unless ``allow_http``.

        The client secret, the code and the token go in the bodies of these requests. Metadata
        may name another host (an authorization server of its own); that is followed only when
        both the metadata (read from the API's own origin) and the endpoint are https, so an
        http answer cannot send credentials elsewhere. The transport adds the access token
        header for the API's origin only, wherever the endpoint is.
        """
        info = self.__oauth_metadata()
        named = info.get(key) if isinstance(info, dict) else None
        url = self.__checked_oauth_url(named if isinstance(named, str) and named else self.api_base_url + path,
                                       allow_http)
        if not _transport.same_origin(self.api_base_url, url) and not (
                self.api_base_url.startswith("https://") and url.startswith("https://")):
            raise MastodonIllegalArgumentError(
                f"OAuth endpoint {url} is on another host than the API {self.api_base_url} and was not "
                f"learnt over https: refusing to send credentials there")
        return url

    def __refuse_unoffered_password_grant(self):
        """Dialect "2" (row W9): Mastodon 4.4.0 removed the password grant; a server from 4.4.0
        on whose metadata does not offer it is not asked (the version is fetched first if
        unknown)."""
        info = self.__oauth_metadata()
        offered = info.get("grant_types_supported") if isinstance(info, dict) else None
        if "password" in (offered if isinstance(offered, list) else ()):
            return
        if self.__server_at_least("4.4.0"):
            raise MastodonIllegalArgumentError(
                "Password flow is no longer supported in Mastodon 4.4.0 and later. Use the "
                "authorization code flow (auth_request_url(), then log_in(code=...)) or an access "
                "token from the web interface (Preferences > Development).")

    @api_version("4.3.0", "4.3.0", "4.4.0")
    def oauth_userinfo(self) -> OAuthUserInfo:
        """OpenID Connect user info for the current token (OAuthUserInfo)."""
        info = self.__caches.oauth_info
        if info is None:
            info = self.oauth_authorization_server_info()
        url = info.get("userinfo_endpoint") if isinstance(info, dict) else None
        if url:
            url = self.__checked_oauth_url(url, allow_http=self.api_base_url.startswith("http://"))
        else:
            url = self.api_base_url + "/oauth/userinfo"
        return self.__api_request("GET", url, base_url_override="", do_ratelimiting=False)


def _is_file(value):
    try:
        return isinstance(value, (str, os.PathLike)) and os.path.isfile(value)
    except (TypeError, ValueError):
        return False
