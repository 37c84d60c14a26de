"""Web push: subscription requests, key generation and decryption of pushes encrypted the way
Mastodon's web push worker encrypts them (real P-256 keys, real ECDH, http_ece)."""

import base64
import json
import os

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import TOKEN
from helpers import assert_sent
from mastodon import Mastodon
from mastodon.errors import (
    MastodonIllegalArgumentError, MastodonNotFoundError, MastodonVersionError,
)
from mastodon.push import MastodonPushDecryptError, decrypt_push_payload


def b64url(data, pad=False):
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if pad else text.rstrip("=")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def raw_point(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


VAPID_KEY = ec.generate_private_key(ec.SECP256R1())


def mastodon_encrypt(payload, public_params, standard=False, salt=None, server_key=None):
    """Encrypt ``payload`` for a subscription as Mastodon's web push worker does and return
    ``(body, headers)``: a fresh ephemeral server key and salt per push; ``aesgcm`` with salt and
    server key in the headers for legacy subscriptions, RFC 8291 ``aes128gcm`` for standard ones."""
    if not isinstance(payload, bytes):
        payload = json.dumps(payload).encode("utf-8")
    server_key = server_key or ec.generate_private_key(ec.SECP256R1())
    salt = salt or os.urandom(16)
    headers = {"TTL": "172800", "Urgency": "normal", "Content-Type": "application/octet-stream"}
    if standard:
        body = http_ece.encrypt(payload, salt=salt, private_key=server_key, dh=public_params["pubkey"],
                                auth_secret=public_params["auth"], version="aes128gcm")
        headers.update({"Content-Encoding": "aes128gcm",
                        "Authorization": f"vapid t=header.claims.signature, k={b64url(raw_point(VAPID_KEY))}"})
    else:
        body = http_ece.encrypt(payload, salt=salt, private_key=server_key, dh=public_params["pubkey"],
                                auth_secret=public_params["auth"], keylabel="P-256", version="aesgcm")
        headers.update({"Content-Encoding": "aesgcm", "Encryption": f"salt={b64url(salt)}",
                        "Crypto-Key": f"dh={b64url(raw_point(server_key))};p256ecdsa={b64url(raw_point(VAPID_KEY))}",
                        "Authorization": "WebPush header.claims.signature"})
    return body, headers


def mastodon_payload(notification_id=117020579695730951, kind="mention"):
    return {"access_token": TOKEN, "preferred_locale": "en", "notification_id": notification_id,
            "notification_type": kind, "icon": "https://example.com/avatar.png",
            "title": "admin mentioned you", "body": "@alice hello there & welcome <3"}


@pytest.fixture(scope="module")
def keys():
    return Mastodon(api_base_url="http://127.0.0.1:9").push_subscription_generate_keys()


@pytest.fixture
def local(make_api):
    return make_api()


# --- key generation ------------------------------------------------------------------------------

def test_generate_keys_returns_matching_private_and_public_dicts(keys):
    private, public = keys
    assert set(private) == {"privkey", "auth"} and set(public) == {"pubkey", "auth"}
    assert isinstance(private["privkey"], int) and private.auth is public.auth
    assert isinstance(public["auth"], bytes) and len(public["auth"]) == 16
    assert len(public["pubkey"]) == 65 and public["pubkey"][0] == 4
    derived = ec.derive_private_key(private["privkey"], ec.SECP256R1())
    assert raw_point(derived) == public["pubkey"]


def test_generate_keys_is_local_and_not_version_checked(make_api, server):
    first = make_api(mastodon_version="1.0.0").push_subscription_generate_keys()
    second = make_api(mastodon_version="1.0.0").push_subscription_generate_keys()
    assert first[0]["privkey"] != second[0]["privkey"] and first[0]["auth"] != second[0]["auth"]
    assert server.requests == []


# --- subscription endpoints ------------------------------------------------------------------------

def test_push_subscription_get(api, server):
    server.fixture("GET_api_v1_push_subscription_200")
    subscription = api.push_subscription()
    assert_sent(server, "GET", "/api/v1/push/subscription")
    assert subscription.id == 1 and subscription.endpoint == "https://example.com"
    assert subscription.alerts.mention is True and subscription.alerts.follow_request is True


def test_push_subscription_missing_is_not_found(api, server):
    server.fixture("GET_api_v1_push_subscription_404")
    with pytest.raises(MastodonNotFoundError):
        api.push_subscription()


def test_push_subscription_delete(api, server):
    server.fixture("DELETE_api_v1_push_subscription_200")
    assert api.push_subscription_delete() is None
    assert (server.last.method, server.last.path) == ("DELETE", "/api/v1/push/subscription")


PUBLIC = {"pubkey": b"\x04" + bytes(range(64)), "auth": b"\xfb" * 16}
KEYS_FORM = [("subscription[endpoint]", "https://relay.example/push/1"),
             ("subscription[keys][p256dh]", base64.b64encode(PUBLIC["pubkey"]).decode()),
             ("subscription[keys][auth]", base64.b64encode(PUBLIC["auth"]).decode())]


@pytest.mark.parametrize("kwargs, data", [
    (dict(), [("policy", "all")]),
    (dict(follow_events=True, favourite_events=False, reblog_events=True, mention_events=True, poll_events=False,
          follow_request_events=True, status_events=False),
     [("policy", "all"), ("data[alerts][follow]", "1"), ("data[alerts][favourite]", "0"),
      ("data[alerts][reblog]", "1"), ("data[alerts][mention]", "1"), ("data[alerts][poll]", "0"),
      ("data[alerts][follow_request]", "1"), ("data[alerts][status]", "0")]),
    # 1.8.1 dropped the status alert unless follow_request_events was also given: fixed.
    (dict(mention_events=True, status_events=True),
     [("policy", "all"), ("data[alerts][mention]", "1"), ("data[alerts][status]", "1")]),
    # Mastodon reads the policy from data[policy]; the top-level key stays for compatibility.
    (dict(policy="followed"), [("policy", "followed"), ("data[policy]", "followed")]),
    (dict(update_events=True, admin_sign_up_events=False, admin_report_events=True, quote_events=True,
          quoted_update_events=False, standard=True),
     [("policy", "all"), ("data[alerts][update]", "1"), ("data[alerts][admin.sign_up]", "0"),
      ("data[alerts][admin.report]", "1"), ("data[alerts][quote]", "1"), ("data[alerts][quoted_update]", "0"),
      ("subscription[standard]", "1")]),
    (dict(standard=False), [("policy", "all"), ("subscription[standard]", "0")]),
])
def test_push_subscription_set_form(api, server, kwargs, data):
    server.fixture("POST_api_v1_push_subscription_200")
    subscription = api.push_subscription_set("relay.example/push/1/", PUBLIC, **kwargs)
    assert (server.last.method, server.last.path) == ("POST", "/api/v1/push/subscription")
    assert server.last.form == KEYS_FORM + data
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    assert subscription.id == 2 and subscription.server_key.startswith("BAhx")
    assert subscription.alerts.follow is True and subscription.standard is False


def test_push_subscription_set_keeps_http_endpoint(api, server):
    server.fixture("POST_api_v1_push_subscription_200")
    api.push_subscription_set("http://127.0.0.1:8080/push", PUBLIC)
    assert server.last.form[0] == ("subscription[endpoint]", "http://127.0.0.1:8080/push")


@pytest.mark.parametrize("kwargs", [dict(policy="everyone"), dict(policy=None)])
def test_push_subscription_set_rejects_bad_policy(api, server, kwargs):
    with pytest.raises(MastodonIllegalArgumentError, match="policy"):
        api.push_subscription_set("https://relay.example", PUBLIC, **kwargs)
    assert server.requests == []


@pytest.mark.parametrize("params", [{}, {"pubkey": PUBLIC["pubkey"]}, None, {"pubkey": 5, "auth": b"x"}])
def test_push_subscription_set_rejects_bad_key_dict(api, server, params):
    with pytest.raises(MastodonIllegalArgumentError, match="encrypt_params"):
        api.push_subscription_set("https://relay.example", params)
    assert server.requests == []


@pytest.mark.parametrize("kwargs, form", [
    (dict(), []),
    (dict(follow_events=True, favourite_events=False, reblog_events=True, mention_events=False, poll_events=True,
          follow_request_events=False),
     [("data[alerts][follow]", "1"), ("data[alerts][favourite]", "0"), ("data[alerts][reblog]", "1"),
      ("data[alerts][mention]", "0"), ("data[alerts][poll]", "1"), ("data[alerts][follow_request]", "0")]),
    (dict(mention_events=True, status_events=True, policy="none", quote_events=True),
     [("data[alerts][mention]", "1"), ("data[alerts][status]", "1"), ("data[policy]", "none"),
      ("data[alerts][quote]", "1")]),
])
def test_push_subscription_update_form(api, server, kwargs, form):
    server.fixture("PUT_api_v1_push_subscription_200")
    subscription = api.push_subscription_update(**kwargs)
    assert (server.last.method, server.last.path) == ("PUT", "/api/v1/push/subscription")
    assert (server.last.form or []) == form
    assert subscription.id == 4


def test_push_subscription_update_rejects_bad_policy(api, server):
    with pytest.raises(MastodonIllegalArgumentError):
        api.push_subscription_update(policy="friends")
    assert server.requests == []


# --- decryption -----------------------------------------------------------------------------------

RFC8291 = dict(
    body="DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqK"
         "K6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    ua_private="q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
    ua_public="BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    auth="BTBZMqHH6r4Tts7J_aSIgg",
    as_private="yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
    salt="DGv6ra1nlYgDCS1FRnbzlw",
)


def rfc_private():
    return {"privkey": int.from_bytes(unb64url(RFC8291["ua_private"]), "big"), "auth": unb64url(RFC8291["auth"])}


def test_rfc8291_appendix_vector_decrypts(local):
    plaintext = decrypt_push_payload(unb64url(RFC8291["body"]), rfc_private(), None, None)
    assert plaintext == b"When I grow up, I want to be a watermelon"
    # The same message re-encrypted from the appendix' keys is byte-identical to the appendix.
    as_key = ec.derive_private_key(int.from_bytes(unb64url(RFC8291["as_private"]), "big"), ec.SECP256R1())
    body, _ = mastodon_encrypt(plaintext, {"pubkey": unb64url(RFC8291["ua_public"]), "auth": unb64url(RFC8291["auth"])},
                               standard=True, salt=unb64url(RFC8291["salt"]), server_key=as_key)
    assert b64url(body) == RFC8291["body"]


def test_rfc8291_vector_through_the_method_reports_non_json(local):
    with pytest.raises(MastodonPushDecryptError, match="not UTF-8 JSON"):
        local.push_subscription_decrypt_push(unb64url(RFC8291["body"]), rfc_private(), None, None)


@pytest.mark.parametrize("standard", [False, True], ids=["aesgcm", "aes128gcm"])
def test_decrypts_pushes_as_mastodon_sends_them(local, server, keys, standard):
    private, public = keys
    body, headers = mastodon_encrypt(mastodon_payload(), public, standard=standard)
    notification = local.push_subscription_decrypt_push(body, private, headers.get("Encryption"),
                                                        headers.get("Crypto-Key"))
    assert notification == mastodon_payload()
    assert notification.notification_type == "mention" and notification.notification_id == 117020579695730951
    assert notification.body == "@alice hello there & welcome <3"
    assert server.requests == []


def test_legacy_headers_with_padding_standard_alphabet_and_bytes(local, keys):
    private, public = keys
    body, headers = mastodon_encrypt(mastodon_payload(), public)
    salt = unb64url(headers["Encryption"][5:])
    dh = unb64url(headers["Crypto-Key"].split(";")[0][3:])
    encryption = f'keyid="p256dh"; salt="{base64.b64encode(salt).decode()}"; rs=4096'.encode()
    crypto_key = f"keyid=p256dh;dh={base64.b64encode(dh).decode()}, p256ecdsa={b64url(raw_point(VAPID_KEY), pad=True)}"
    assert local.push_subscription_decrypt_push(bytearray(body), private, encryption, crypto_key) == mastodon_payload()


def test_aes128gcm_push_with_stray_legacy_headers_still_decrypts(local, keys):
    private, public = keys
    legacy_body, legacy_headers = mastodon_encrypt(mastodon_payload(), public)
    body, _ = mastodon_encrypt(mastodon_payload(kind="favourite"), public, standard=True)
    result = local.push_subscription_decrypt_push(body, private, legacy_headers["Encryption"],
                                                  legacy_headers["Crypto-Key"])
    assert result.notification_type == "favourite"


def test_large_multi_record_aes128gcm_push(local, keys):
    private, public = keys
    payload = mastodon_payload()
    payload["body"] = "x" * 10000
    body = http_ece.encrypt(json.dumps(payload).encode(), private_key=ec.generate_private_key(ec.SECP256R1()),
                            dh=public["pubkey"], auth_secret=public["auth"], rs=1024, version="aes128gcm")
    assert local.push_subscription_decrypt_push(body, private, None, None) == payload


def test_decrypt_is_version_checked_but_local(make_api, server, keys):
    private, public = keys
    body, headers = mastodon_encrypt(mastodon_payload(), public)
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="2.3.0").push_subscription_decrypt_push(body, private, headers["Encryption"],
                                                                          headers["Crypto-Key"])
    assert make_api(mastodon_version="2.4.0").push_subscription_decrypt_push(
        body, private, headers["Encryption"], headers["Crypto-Key"]).notification_type == "mention"
    assert server.requests == []


# --- decryption failures: always a MastodonIllegalArgumentError that says what failed -------------

def legacy_push(keys, payload=None):
    return mastodon_encrypt(payload or mastodon_payload(), keys[1])


def flip(data, index):
    data = bytearray(data)
    data[index] ^= 0x01
    return bytes(data)


@pytest.mark.parametrize("standard", [False, True], ids=["aesgcm", "aes128gcm"])
@pytest.mark.parametrize("damage, message", [
    (lambda b: flip(b, len(b) - 1), "authentication failed"),
    (lambda b: flip(b, len(b) // 2 + 50), "authentication failed"),
    (lambda b: b[:-5], "authentication failed|truncated"),
    (lambda b: b + b"\x00", "authentication failed"),
])
def test_corrupted_or_truncated_push(local, keys, standard, damage, message):
    body, headers = mastodon_encrypt(mastodon_payload(), keys[1], standard=standard)
    with pytest.raises(MastodonPushDecryptError, match=message) as info:
        local.push_subscription_decrypt_push(damage(body), keys[0], headers.get("Encryption"),
                                             headers.get("Crypto-Key"))
    assert isinstance(info.value, MastodonIllegalArgumentError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("standard", [False, True], ids=["aesgcm", "aes128gcm"])
def test_push_for_another_subscription_is_refused(local, keys, standard):
    other_private, other_public = local.push_subscription_generate_keys()
    body, headers = mastodon_encrypt(mastodon_payload(), other_public, standard=standard)
    for private in (keys[0], {"privkey": keys[0]["privkey"], "auth": other_private["auth"]},
                    {"privkey": other_private["privkey"], "auth": keys[0]["auth"]}):
        with pytest.raises(MastodonPushDecryptError, match="authentication failed.*another subscription"):
            local.push_subscription_decrypt_push(body, private, headers.get("Encryption"), headers.get("Crypto-Key"))
    assert local.push_subscription_decrypt_push(body, other_private, headers.get("Encryption"),
                                                headers.get("Crypto-Key")).notification_type == "mention"


def test_wrong_salt_is_refused(local, keys):
    body, headers = legacy_push(keys)
    with pytest.raises(MastodonPushDecryptError, match="authentication failed"):
        local.push_subscription_decrypt_push(body, keys[0], f"salt={b64url(os.urandom(16))}", headers["Crypto-Key"])


@pytest.mark.parametrize("encryption, crypto_key, message", [
    ("salt=!!notbase64!!", None, "salt is not valid base64"),
    ("salt=AAAA", None, "salt must be 16 bytes"),
    ("salt=" + "A" * 22 + ";rs=big", None, "rs is not a number"),
    (None, "dh=" + b64url(b"\x04" + b"\x01" * 64), "no salt in the Encryption header"),
    ("salt=" + "A" * 22, "p256ecdsa=abc", "no dh in the Crypto-Key header"),
    ("salt=" + "A" * 22, "dh=" + b64url(b"\x04" + b"\x01" * 64), "not a valid P-256 point"),
    ("salt=" + "A" * 22, "dh=" + b64url(b"\x05"), "not a valid P-256 point"),
    (None, None, "no aesgcm Encryption / Crypto-Key headers"),
    (12, None, "Encryption header must be"),
])
def test_bad_headers(local, keys, encryption, crypto_key, message):
    body, headers = legacy_push(keys)
    if crypto_key is None and encryption is not None and "dh" not in str(encryption):
        crypto_key = headers["Crypto-Key"]
    with pytest.raises(MastodonPushDecryptError, match=message):
        local.push_subscription_decrypt_push(body, keys[0], encryption, crypto_key)


@pytest.mark.parametrize("data", [b"", b"\x00" * 10, "a string", None, 42])
def test_bad_data(local, keys, data):
    with pytest.raises(MastodonIllegalArgumentError):
        local.push_subscription_decrypt_push(data, keys[0], None, None)


@pytest.mark.parametrize("params, message", [
    ({}, "decrypt_params must be a dict"),
    (None, "decrypt_params must be a dict"),
    ({"privkey": 5}, "decrypt_params must be a dict"),
    ({"privkey": "123", "auth": b"a" * 16}, "privkey"),
    ({"privkey": 0, "auth": b"a" * 16}, "not a P-256 private key"),
    ({"privkey": 2 ** 300, "auth": b"a" * 16}, "not a P-256 private key"),
    ({"privkey": 5, "auth": "text"}, "auth"),
])
def test_bad_decrypt_params(local, keys, params, message):
    body, headers = legacy_push(keys)
    with pytest.raises(MastodonIllegalArgumentError, match=message):
        local.push_subscription_decrypt_push(body, params, headers["Encryption"], headers["Crypto-Key"])


@pytest.mark.parametrize("payload", [b"not json", b"\xff\xfe\x00garbage", b"[" * 100000])
def test_non_json_payload(local, keys, payload):
    body, headers = mastodon_encrypt(payload, keys[1])
    with pytest.raises(MastodonPushDecryptError, match="not UTF-8 JSON"):
        local.push_subscription_decrypt_push(body, keys[0], headers["Encryption"], headers["Crypto-Key"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(standard=st.booleans(), position=st.integers(min_value=0), xor=st.integers(min_value=1, max_value=255),
       cut=st.integers(min_value=0, max_value=400))
def test_fuzzed_damage_is_detected_and_never_leaks_raw_exceptions(local, keys, standard, position, xor, cut):
    body, headers = mastodon_encrypt(mastodon_payload(), keys[1], standard=standard)
    damaged = bytearray(body)
    damaged[position % len(damaged)] ^= xor
    truncated = cut % 3 == 0 and cut > 0
    damaged = bytes(damaged)[:max(0, len(damaged) - cut)] if truncated else bytes(damaged)
    try:
        result = local.push_subscription_decrypt_push(damaged, keys[0], headers.get("Encryption"),
                                                      headers.get("Crypto-Key"))
    except MastodonIllegalArgumentError:
        return
    # Only bits that are not authenticated may change without an error (the aes128gcm record
    # size of a one-record push), and then the payload is intact.
    assert standard and 16 <= position % len(body) < 20 and not truncated
    assert result == mastodon_payload()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(standard=st.booleans(), size=st.integers(min_value=1, max_value=9000), rs=st.sampled_from([None, 64, 4096]))
def test_any_payload_size_round_trips_like_http_ece(keys, standard, size, rs):
    # One-record pushes take the fast path, longer ones go through http_ece: same result.
    # (An empty aes128gcm message from http_ece has no record at all, which RFC 8188 forbids.)
    payload = os.urandom(size)
    private, public = keys
    server_key = ec.generate_private_key(ec.SECP256R1())
    salt = os.urandom(16)
    extra = {} if rs is None else {"rs": rs}
    if standard:
        body = http_ece.encrypt(payload, salt=salt, private_key=server_key, dh=public["pubkey"],
                                auth_secret=public["auth"], version="aes128gcm", **extra)
        assert decrypt_push_payload(body, private, None, None) == payload
    else:
        body = http_ece.encrypt(payload, salt=salt, private_key=server_key, dh=public["pubkey"],
                                auth_secret=public["auth"], keylabel="P-256", version="aesgcm", **extra)
        encryption = f"salt={b64url(salt)}" + ("" if rs is None else f";rs={rs}")
        assert decrypt_push_payload(body, private, encryption, f"dh={b64url(raw_point(server_key))}") == payload
