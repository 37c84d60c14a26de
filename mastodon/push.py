"""Web push: the subscription endpoints, key generation and decryption of received pushes.

Mastodon encrypts each push for the subscription's keys. Legacy subscriptions get the
``aesgcm`` content encoding (salt in the ``Encryption`` header, the server's ephemeral key in
``Crypto-Key``); standard ones (``standard=True``, Mastodon 4.4+) get RFC 8291 ``aes128gcm``,
where salt, record size and server key travel in the body. :meth:`push_subscription_decrypt_push`
handles both and tells them apart by what it is given.
"""

from __future__ import annotations

import base64
import hmac
import os
import struct
import threading

from .return_types import (  # noqa: F401 (used in annotations)
    Any, Dict, Optional, PushNotification, Tuple, WebPushSubscription, WebpushCryptoParamsPrivkey,
    WebpushCryptoParamsPubkey,
)
from .compat import IMPL_HAS_CRYPTO, IMPL_HAS_ECE
from .errors import MastodonIllegalArgumentError, MastodonPushDecryptError  # noqa: F401 (exported here too)
from .internals import Mastodon as Internals
from .types_base import AttribAccessDict
from .versions import _DICT_VERSION_PUSH, _DICT_VERSION_PUSH_NOTIF, api_version

if IMPL_HAS_CRYPTO:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.asymmetric import ec
if IMPL_HAS_ECE:
    import http_ece

__all__ = ["MastodonPushDecryptError", "decrypt_push_payload"]


_POLICIES = ("all", "none", "follower", "followed")

# (signature parameter, Mastodon alert name), in signature order.
_ALERTS_181 = (("follow_events", "follow"), ("favourite_events", "favourite"), ("reblog_events", "reblog"),
               ("mention_events", "mention"), ("poll_events", "poll"),
               ("follow_request_events", "follow_request"))
_ALERTS_2X = (("update_events", "update"), ("admin_sign_up_events", "admin.sign_up"),
              ("admin_report_events", "admin.report"), ("quote_events", "quote"),
              ("quoted_update_events", "quoted_update"))

# Header parameter names are HTTP tokens (RFC 9110 §5.6.2), compared case-insensitively. The
# check comes before lower-casing, which would turn some non-ASCII letters ('\u212a') into ASCII.
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~")
_OWS = " \t"

# aesgcm records carry a 2-byte padding length, so a record size must leave room for it; the
# upper bound is what RFC 8188's 32-bit record size field can hold.
_RS_MIN = 3
_RS_MAX = 2 ** 32 - 1
_RS_MAX_DIGITS = len(str(_RS_MAX))
_RS_DEFAULT = 4096

# aes128gcm body header: salt (16) | record size (4) | key id length (1) | key id.
_AES128GCM_HEADER = 21
_P256_POINT_LENGTH = 65
_TAG_LENGTH = 16

# Private keys derived from decrypt_params['privkey'] (deriving one costs as much as the ECDH).
_KEY_CACHE: Dict[int, Tuple[Any, bytes]] = {}  # privkey → (key object, public point)
_KEY_CACHE_MAX = 256
_KEY_CACHE_LOCK = threading.Lock()


def _alert_value(value):
    return "1" if value else "0"


def _excerpt(text, limit=40):
    """``repr(text)``, cut short: error messages must not grow with what a peer sent."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


def _header_entries(value, name):
    """``keyid=a; salt="b", dh=c`` → ``[{'keyid': 'a', 'salt': 'b'}, {'dh': 'c'}]``.

    One dict per comma-separated entry: names lower-cased, a pair of quotes around a value
    removed, the first value of a name in an entry kept; pieces that are not ``token=value`` are
    skipped. Plain splitting, no regular expression, so the cost stays linear in the length of
    whatever the peer sent.
    """
    if value is None:
        return []
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("latin-1")
    if not isinstance(value, str):
        raise MastodonPushDecryptError(f"The {name} header must be a str, bytes or None")
    entries = []
    for entry_text in value.split(","):
        if "=" not in entry_text:
            continue
        entry = {}
        for piece in entry_text.split(";"):
            key, has_value, item = piece.partition("=")
            key = key.strip(_OWS)
            if not has_value or not key or not _TOKEN_CHARS.issuperset(key):
                continue
            key = key.lower()
            item = item.strip(_OWS)
            if len(item) >= 2 and item[0] == item[-1] == '"':
                item = item[1:-1]
            entry.setdefault(key, item)
        if entry:
            entries.append(entry)
    return entries


def _server_key_entry(encryption, crypto_keys):
    """The ``Crypto-Key`` entry holding the server key for ``encryption``: the one with the same
    ``keyid`` when both name one, otherwise the first entry with a ``dh``."""
    keyid = encryption.get("keyid")
    if keyid is not None:
        for entry in crypto_keys:
            if entry.get("keyid") == keyid:
                return entry
    return crypto_keys[0]


def _record_size(text):
    """The ``rs`` parameter of the ``Encryption`` header as an int.

    ASCII digits only: ``str.isdigit`` and ``int`` also accept other scripts' digits, and
    ``isdigit`` superscripts that ``int`` then refuses. Leading zeros are dropped before the
    length check, so no digit string reaches ``int`` longer than the bound allows.
    """
    if not text.isascii() or not text.isdigit():
        raise MastodonPushDecryptError(f"The Encryption header's rs is not a number: {_excerpt(text)}")
    digits = text.lstrip("0") or "0"
    rs = int(digits) if len(digits) <= _RS_MAX_DIGITS else _RS_MAX + 1
    if not _RS_MIN <= rs <= _RS_MAX:
        raise MastodonPushDecryptError(
            f"The Encryption header's rs must be between {_RS_MIN} and {_RS_MAX}, not {_excerpt(text)}")
    return rs


def _b64decode(value, what):
    """URL-safe (or standard) base64, with or without padding."""
    text = value.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except ValueError:
        raise MastodonPushDecryptError(f"{what} is not valid base64: {_excerpt(value)}") from None


def _looks_aes128gcm(data):
    """Whether a body has the RFC 8291 shape: a header naming a 65-byte P-256 point as key id,
    a usable record size and room for at least one record."""
    if len(data) < _AES128GCM_HEADER + _P256_POINT_LENGTH + _TAG_LENGTH + 1:
        return False
    if data[20] != _P256_POINT_LENGTH or data[21] != 0x04:
        return False
    return struct.unpack("!L", data[16:20])[0] > _TAG_LENGTH + 1


def _private_key(privkey):
    """``(private key object, its uncompressed public point)`` for ``decrypt_params['privkey']``."""
    if not isinstance(privkey, int) or isinstance(privkey, bool):
        raise MastodonIllegalArgumentError("decrypt_params['privkey'] must be the private key as an int")
    cached = _KEY_CACHE.get(privkey)
    if cached is not None:
        return cached
    try:
        key = ec.derive_private_key(privkey, ec.SECP256R1())
    except (ValueError, TypeError) as e:
        raise MastodonIllegalArgumentError(f"decrypt_params['privkey'] is not a P-256 private key: {e}") from None
    cached = (key, key.public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint))
    with _KEY_CACHE_LOCK:
        if len(_KEY_CACHE) >= _KEY_CACHE_MAX:
            _KEY_CACHE.clear()
        _KEY_CACHE[privkey] = cached
    return cached


def _hkdf(salt, ikm, info, length):
    """HKDF-SHA256 (RFC 5869) for outputs of at most 32 bytes."""
    prk = hmac.digest(salt, ikm, "sha256")
    return hmac.digest(prk, info + b"\x01", "sha256")[:length]


def _decrypt_single_record(data, private_key, public, auth, encoding, salt=None, dh=None, rs=_RS_DEFAULT):
    """The common case, one record (every Mastodon push fits in one): the same key schedule as
    http_ece with fewer objects per message. Returns None when the message needs http_ece."""
    if encoding == "aes128gcm":
        salt, rs, dh = data[:16], struct.unpack("!L", data[16:20])[0], data[21:21 + _P256_POINT_LENGTH]
        content = data[_AES128GCM_HEADER + _P256_POINT_LENGTH:]
        if not _TAG_LENGTH < len(content) <= rs:
            return None
    else:
        content = data
        if not _TAG_LENGTH + 2 <= len(content) < rs + _TAG_LENGTH:
            return None
    try:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), dh)
        shared = private_key.exchange(ec.ECDH(), peer)
    except ValueError as e:
        raise MastodonPushDecryptError(
            f"{encoding} push names a server key that is not a valid P-256 point: {e}") from None
    if encoding == "aes128gcm":
        secret = _hkdf(auth, shared, b"WebPush: info\x00" + public + dh, 32)
        key = _hkdf(salt, secret, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, secret, b"Content-Encoding: nonce\x00", 12)
    else:
        context = b"P-256\x00\x00\x41" + public + struct.pack("!H", len(dh)) + dh
        secret = _hkdf(auth, shared, b"Content-Encoding: auth\x00", 32)
        key = _hkdf(salt, secret, b"Content-Encoding: aesgcm\x00" + context, 16)
        nonce = _hkdf(salt, secret, b"Content-Encoding: nonce\x00" + context, 12)
    try:
        plain = AESGCM(key).decrypt(nonce, content, None)
    except InvalidTag:
        raise MastodonPushDecryptError(_AUTH_FAILED.format(encoding=encoding)) from None
    if encoding == "aes128gcm":
        stripped = plain.rstrip(b"\x00")
        if not stripped or stripped[-1] != 2:
            raise MastodonPushDecryptError(f"{encoding} push has invalid padding after decryption")
        return stripped[:-1]
    pad = int.from_bytes(plain[:2], "big")
    if 2 + pad > len(plain) or plain[2:2 + pad].strip(b"\x00"):
        raise MastodonPushDecryptError(f"{encoding} push has invalid padding after decryption")
    return plain[2 + pad:]


_AUTH_FAILED = ("{encoding} push could not be decrypted: authentication failed (wrong privkey or auth "
                "secret, a push meant for another subscription, or corrupted / truncated data)")


def _describe_ece_failure(error, encoding):
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    if message.startswith("Decryption error"):
        return _AUTH_FAILED.format(encoding=encoding)
    if "truncated" in message:
        return f"{encoding} push is truncated"
    if "padding" in message.lower() or "delimiter" in message or "all zero" in message:
        return f"{encoding} push has invalid padding after decryption: {message}"
    if isinstance(error, ValueError):
        return f"{encoding} push names a server key that is not a valid P-256 point: {message}"
    return f"{encoding} push could not be decrypted: {message}"


def _decrypt(data, keys, auth, encoding, salt=None, dh=None, rs=_RS_DEFAULT):
    private_key, public = keys
    auth = bytes(auth)
    plaintext = _decrypt_single_record(data, private_key, public, auth, encoding, salt=salt, dh=dh, rs=rs)
    if plaintext is not None:
        return plaintext
    try:
        if encoding == "aesgcm":
            return http_ece.decrypt(data, salt=salt, private_key=private_key, dh=dh, auth_secret=auth,
                                    keylabel="P-256", rs=rs, version="aesgcm")
        return http_ece.decrypt(data, private_key=private_key, auth_secret=auth, version="aes128gcm")
    except Exception as e:  # http_ece and cryptography raise many unrelated classes
        raise MastodonPushDecryptError(_describe_ece_failure(e, encoding)) from e


def decrypt_push_payload(data, decrypt_params, encryption_header=None, crypto_key_header=None):
    """Decrypt a web push body and return the plaintext bytes (no JSON parsing).

    The encoding is chosen from what is given: ``aesgcm`` when the ``Encryption`` header has a
    salt and the ``Crypto-Key`` header a ``dh``, RFC 8291 ``aes128gcm`` when the body has its
    header. Raises :class:`MastodonPushDecryptError` naming what failed.
    """
    if not IMPL_HAS_CRYPTO or not IMPL_HAS_ECE:
        raise NotImplementedError(
            "To use the crypto tools, please install the webpush feature dependencies.")
    if not isinstance(data, bytes):
        if not isinstance(data, (bytearray, memoryview)):
            raise MastodonPushDecryptError(f"Push data must be bytes, not {type(data).__name__}")
        data = bytes(data)
    try:
        privkey, auth = decrypt_params["privkey"], decrypt_params["auth"]
    except (KeyError, TypeError):
        raise MastodonIllegalArgumentError(
            "decrypt_params must be a dict with 'privkey' and 'auth' "
            "(the private dict of push_subscription_generate_keys)") from None
    if not isinstance(auth, (bytes, bytearray)) or not auth:
        raise MastodonIllegalArgumentError("decrypt_params['auth'] must be the auth secret as bytes")
    private_key = _private_key(privkey)

    encryption = _header_entries(encryption_header, "Encryption")
    crypto_key = _header_entries(crypto_key_header, "Crypto-Key")
    legacy = next((entry for entry in encryption if "salt" in entry), None)
    server_keys = [entry for entry in crypto_key if "dh" in entry]
    if legacy is not None and server_keys:
        salt = _b64decode(legacy["salt"], "The Encryption header's salt")
        dh = _b64decode(_server_key_entry(legacy, server_keys)["dh"], "The Crypto-Key header's dh")
        if len(salt) != 16:
            raise MastodonPushDecryptError(f"The Encryption header's salt must be 16 bytes, not {len(salt)}")
        rs = _record_size(legacy["rs"]) if "rs" in legacy else _RS_DEFAULT
        try:
            plaintext = _decrypt(data, private_key, auth, "aesgcm", salt=salt, dh=dh, rs=rs)
        except MastodonPushDecryptError as legacy_error:
            # Headers left over from a proxy on an aes128gcm push: the body decides.
            if not _looks_aes128gcm(data):
                raise
            try:
                plaintext = _decrypt(data, private_key, auth, "aes128gcm")
            except MastodonPushDecryptError:
                raise legacy_error from legacy_error.__cause__
    elif _looks_aes128gcm(data):
        plaintext = _decrypt(data, private_key, auth, "aes128gcm")
    elif encryption or crypto_key:
        missing = "salt in the Encryption header" if legacy is None else "dh in the Crypto-Key header"
        raise MastodonPushDecryptError(
            f"Push is not aes128gcm and the aesgcm headers are incomplete: no {missing}")
    else:
        raise MastodonPushDecryptError(
            "Push is not an aes128gcm body (too short or malformed header) and no aesgcm "
            "Encryption / Crypto-Key headers were given")
    return plaintext


class Mastodon(Internals):
    # -----------------------------------------------------------------------------------------
    # Subscription endpoints

    @api_version("2.4.0", "2.4.0", _DICT_VERSION_PUSH)
    def push_subscription(self) -> WebPushSubscription:
        """The push subscription of the current access token (WebPushSubscription).
        Raises :class:`MastodonNotFoundError` when there is none."""
        return self.__api_request("GET", "/api/v1/push/subscription")

    @api_version("2.4.0", "2.4.0", _DICT_VERSION_PUSH)
    def push_subscription_set(self, endpoint: str, encrypt_params: WebpushCryptoParamsPubkey,
                              follow_events: Optional[bool] = None, favourite_events: Optional[bool] = None,
                              reblog_events: Optional[bool] = None, mention_events: Optional[bool] = None,
                              poll_events: Optional[bool] = None,
                              follow_request_events: Optional[bool] = None,
                              status_events: Optional[bool] = None, policy: str = "all",
                              update_events: Optional[bool] = None,
                              admin_sign_up_events: Optional[bool] = None,
                              admin_report_events: Optional[bool] = None, quote_events: Optional[bool] = None,
                              quoted_update_events: Optional[bool] = None, standard: Optional[bool] = None
                              ) -> WebPushSubscription:
        """Subscribe the current access token to web push at ``endpoint``, replacing any previous
        subscription. ``encrypt_params`` is the public dict of :meth:`push_subscription_generate_keys`.

        Each ``*_events`` flag turns one alert on or off (None leaves it out); ``policy`` says whose
        notifications are pushed (``all``, ``none``, ``follower``, ``followed``); ``standard=True``
        asks for RFC 8291 ``aes128gcm`` pushes (Mastodon 4.4+). Returns the WebPushSubscription.
        Raises :class:`MastodonIllegalArgumentError` for a bad policy or key dict, before sending.
        """
        if policy not in _POLICIES:
            raise MastodonIllegalArgumentError(f"Invalid policy {policy!r}: must be one of {', '.join(_POLICIES)}")
        try:
            pubkey, auth = encrypt_params["pubkey"], encrypt_params["auth"]
            pubkey, auth = base64.b64encode(pubkey), base64.b64encode(auth)
        except (KeyError, TypeError) as e:
            raise MastodonIllegalArgumentError(
                "encrypt_params must be a dict with the bytes 'pubkey' and 'auth' "
                f"(see push_subscription_generate_keys): {e!r}") from None
        params = {
            "subscription[endpoint]": self.__protocolize(endpoint),
            "subscription[keys][p256dh]": pubkey,
            "subscription[keys][auth]": auth,
            "policy": policy,
        }
        flags = dict(follow_events=follow_events, favourite_events=favourite_events, reblog_events=reblog_events,
                     mention_events=mention_events, poll_events=poll_events,
                     follow_request_events=follow_request_events, update_events=update_events,
                     admin_sign_up_events=admin_sign_up_events, admin_report_events=admin_report_events,
                     quote_events=quote_events, quoted_update_events=quoted_update_events)
        self.__add_alerts(params, flags, status_events, policy)
        if standard is not None:
            params["subscription[standard]"] = _alert_value(standard)
        return self.__api_request("POST", "/api/v1/push/subscription", params)

    @api_version("2.4.0", "2.4.0", _DICT_VERSION_PUSH)
    def push_subscription_update(self, follow_events: Optional[bool] = None,
                                 favourite_events: Optional[bool] = None,
                                 reblog_events: Optional[bool] = None, mention_events: Optional[bool] = None,
                                 poll_events: Optional[bool] = None,
                                 follow_request_events: Optional[bool] = None,
                                 status_events: Optional[bool] = None, policy: Optional[str] = "all",
                                 update_events: Optional[bool] = None,
                                 admin_sign_up_events: Optional[bool] = None,
                                 admin_report_events: Optional[bool] = None,
                                 quote_events: Optional[bool] = None,
                                 quoted_update_events: Optional[bool] = None) -> WebPushSubscription:
        """Change which alerts (and, with ``policy``, whose notifications) the current push
        subscription receives. Returns the WebPushSubscription.

        Dialect ``"2"`` also sends ``policy`` itself (``all`` when left out), as Mastodon.py 2.3.3."""
        if policy not in _POLICIES:
            raise MastodonIllegalArgumentError(f"Invalid policy {policy!r}: must be one of {', '.join(_POLICIES)}")
        params: Dict[str, Any] = dict(self.__dialect.push_update_policy_params(policy))
        flags = dict(follow_events=follow_events, favourite_events=favourite_events, reblog_events=reblog_events,
                     mention_events=mention_events, poll_events=poll_events,
                     follow_request_events=follow_request_events, update_events=update_events,
                     admin_sign_up_events=admin_sign_up_events, admin_report_events=admin_report_events,
                     quote_events=quote_events, quoted_update_events=quoted_update_events)
        self.__add_alerts(params, flags, status_events, policy)
        return self.__api_request("PUT", "/api/v1/push/subscription", params)

    @staticmethod
    def __add_alerts(params, flags, status_events, policy):
        """The ``data[...]`` form keys: the alerts that were given, in signature order.

        Mastodon reads the policy from ``data[policy]``; a policy other than the server's
        default ``all`` is therefore sent there too.
        """
        for argument, alert in _ALERTS_181:
            if flags[argument] is not None:
                params[f"data[alerts][{alert}]"] = _alert_value(flags[argument])
        if status_events is not None:
            params["data[alerts][status]"] = _alert_value(status_events)
        if policy != "all":
            params["data[policy]"] = policy
        for argument, alert in _ALERTS_2X:
            if flags[argument] is not None:
                params[f"data[alerts][{alert}]"] = _alert_value(flags[argument])

    @api_version("2.4.0", "2.4.0", "2.4.0")
    def push_subscription_delete(self) -> None:
        """Remove the push subscription of the current access token. Returns None."""
        self.__api_request("DELETE", "/api/v1/push/subscription")

    # -----------------------------------------------------------------------------------------
    # Keys and decryption (local)

    def push_subscription_generate_keys(self) -> Tuple[WebpushCryptoParamsPubkey, WebpushCryptoParamsPrivkey]:
        """A fresh P-256 key pair and auth secret for a push subscription.

        Returns ``(private, public)``: ``private`` = ``{'privkey': int, 'auth': 16 bytes}`` (keep
        it, :meth:`push_subscription_decrypt_push` needs it), ``public`` = ``{'pubkey': 65-byte
        uncompressed point, 'auth': the same bytes}`` (give it to :meth:`push_subscription_set`).
        Raises NotImplementedError when ``cryptography`` is not installed.
        """
        if not IMPL_HAS_CRYPTO:
            raise NotImplementedError(
                "To use the crypto tools, please install the webpush feature dependencies.")
        private_key = ec.generate_private_key(ec.SECP256R1())
        pubkey = private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                       serialization.PublicFormat.UncompressedPoint)
        auth = os.urandom(16)
        private = AttribAccessDict(privkey=private_key.private_numbers().private_value, auth=auth)
        public = AttribAccessDict(pubkey=pubkey, auth=auth)
        return private, public

    @api_version("2.4.0", "2.4.0", _DICT_VERSION_PUSH_NOTIF)
    def push_subscription_decrypt_push(self, data: bytes, decrypt_params: WebpushCryptoParamsPrivkey,
                                       encryption_header: Optional[str], crypto_key_header: Optional[str]
                                       ) -> PushNotification:
        """Decrypt a received push (the request body ``data``) with the private dict of
        :meth:`push_subscription_generate_keys` and return the PushNotification it carries
        (``notification_id``, ``notification_type``, ``title``, ``body``, ...).

        Legacy ``aesgcm`` pushes need the request's ``Encryption`` and ``Crypto-Key`` headers;
        RFC 8291 ``aes128gcm`` pushes carry everything in the body (pass None for the headers).
        Raises :class:`MastodonPushDecryptError` (a :class:`MastodonIllegalArgumentError`)
        naming what failed, and NotImplementedError without ``cryptography`` / ``http_ece``.
        """
        plaintext = decrypt_push_payload(data, decrypt_params, encryption_header, crypto_key_header)
        try:
            return self.__dialect.decoder.parse(plaintext)
        except (ValueError, RecursionError) as e:
            raise MastodonPushDecryptError(f"Decrypted push payload is not UTF-8 JSON: {e}") from None
