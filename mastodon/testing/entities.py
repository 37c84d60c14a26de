"""API entities, in the shapes Mastodon 4.5 answers with (see ``tests/fixtures``).

A :class:`Renderer` turns the records of :mod:`mastodon.testing.state` into the JSON-ready
dicts the endpoints answer with, as seen by a viewer: ``favourited``, ``bookmarked``,
``pinned`` and ``filtered`` depend on who asks, and anonymous viewers get none of them.
"""

from __future__ import annotations

import html

from . import _text
from .state import iso, now

VERSION = "4.5.0"
SUPPORTED_MIME_TYPES = [
    "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp", "image/avif",
    "video/webm", "video/mp4", "video/quicktime", "video/ogg", "audio/wave", "audio/wav", "audio/x-wav",
    "audio/x-pn-wave", "audio/vnd.wave", "audio/ogg", "audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm",
    "audio/flac", "audio/aac", "audio/m4a", "audio/x-m4a", "audio/mp4", "audio/3gpp", "video/x-ms-asf",
]
POLL_LIMITS = dict(max_options=4, max_characters_per_option=50, min_expiration=300, max_expiration=2629746)
STATUS_LIMITS = dict(max_characters=500, max_media_attachments=4, characters_reserved_per_url=23)
MEDIA_LIMITS = dict(image_size_limit=16777216, image_matrix_limit=33177600, video_size_limit=103809024,
                    video_frame_rate_limit=120, video_matrix_limit=8294400)


class Renderer:
    def __init__(self, state):
        self.state = state

    @property
    def base(self):
        return self.state.base_url

    # -- accounts -----------------------------------------------------------------------------

    def account(self, account, credentials=False):
        state = self.state
        statuses = state.statuses_of(account)
        last = max((status.created_at for status in statuses), default=None)
        followers = sum(1 for key in state.follows if key[1] == account.id)
        following = sum(1 for key in state.follows if key[0] == account.id)
        note_html = _text.render(account.note, self.base, state.find_account)[0] if account.note else ""
        fields = [dict(name=item["name"], value=_text.render(item["value"], self.base, state.find_account)[0][3:-4],
                       verified_at=None) for item in account.fields]
        entity = dict(
            id=str(account.id), username=account.username, acct=account.username,
            display_name=account.display_name, locked=account.locked, bot=account.bot,
            discoverable=account.discoverable, indexable=account.discoverable, group=False,
            created_at=iso(account.created_at), note=note_html,
            url=f"{self.base}/@{account.username}", uri=f"{self.base}/ap/users/{account.id}",
            avatar=self._image(account, "avatar"), avatar_static=self._image(account, "avatar"),
            avatar_description="", header=self._image(account, "header"),
            header_static=self._image(account, "header"), header_description="",
            followers_count=followers, following_count=following, statuses_count=len(statuses),
            last_status_at=last.strftime("%Y-%m-%d") if last else None, hide_collections=False,
            show_media=True, show_media_replies=True, show_featured=True, noindex=False,
            feature_approval=dict(automatic=["public"], manual=[], current_user="automatic"),
            emojis=[], roles=[], fields=fields,
        )
        if credentials:
            entity["source"] = dict(
                privacy=account.privacy, sensitive=account.sensitive, language=account.language or "",
                note=account.note,
                fields=[dict(name=item["name"], value=item["value"], verified_at=None) for item in account.fields],
                follow_requests_count=sum(1 for key in state.follow_requests if key[1] == account.id),
                hide_collections=False, discoverable=account.discoverable, indexable=account.discoverable,
                attribution_domains=[], quote_policy="public")
            entity["role"] = dict(id="-99", name="", permissions="65536", color="", highlighted=False,
                                  collection_limit=10)
        return entity

    def _image(self, account, kind):
        image = getattr(account, kind)
        if image is None:
            return f"{self.base}/{kind}s/original/missing.png"
        extension = image[1].split("/")[-1].replace("jpeg", "jpg")
        return f"{self.base}/system/accounts/{kind}s/{account.id}/original/{image[0]}.{extension}"

    def relationship(self, viewer, target):
        state = self.state
        follow = state.follows.get((viewer.id, target.id)) or state.follow_requests.get((viewer.id, target.id))
        mute = state.muting(viewer, target)
        return dict(
            id=str(target.id), following=(viewer.id, target.id) in state.follows,
            showing_reblogs=bool(follow and follow.reblogs), notifying=bool(follow and follow.notify),
            languages=follow.languages if follow else None,
            followed_by=(target.id, viewer.id) in state.follows,
            blocking=state.blocking(viewer, target), blocked_by=state.blocking(target, viewer),
            muting=mute is not None, muting_notifications=bool(mute and mute.notifications),
            muting_expires_at=iso(mute.expires_at) if mute else None,
            requested=(viewer.id, target.id) in state.follow_requests,
            requested_by=(target.id, viewer.id) in state.follow_requests,
            domain_blocking=False, endorsed=False, note=viewer.notes.get(target.id, ""),
        )

    # -- statuses -----------------------------------------------------------------------------

    def status(self, status, viewer=None, context=None, source=False):
        """A Status as ``viewer`` sees it; ``source`` gives ``text`` in place of ``content`` (the
        answer to a delete, for delete-and-redraft)."""
        if status.reblog is not None:
            inner = self.status(status.reblog, viewer, context)
            entity = self._status_fields(status, viewer, inner, source)
            entity["reblog"] = inner
            return entity
        entity = self._status_fields(status, viewer, None, source)
        if viewer is not None:
            entity["filtered"] = self.filter_results(viewer, status, context)
        mentions = [dict(id=str(account.id), username=account.username, url=f"{self.base}/@{account.username}",
                         acct=account.username) for account in status.mentions]
        entity.update(
            reblog=None,
            application=dict(name=status.app.name, website=status.app.website) if status.app else None,
            account=self.account(status.account),
            media_attachments=[self.media(item) for item in status.media],
            mentions=mentions,
            tags=[dict(name=tag.lower(), url=f"{self.base}/tags/{tag.lower()}") for tag in status.tags],
            emojis=[], tagged_collections=[], quote=None, card=None,
            poll=self.poll(status.poll, viewer) if status.poll else None,
            quote_approval=self._quote_approval(status),
        )
        if viewer is None:
            entity.pop("filtered", None)
        return entity

    def _status_fields(self, status, viewer, inner, source):
        original = status.reblog or status
        entity = dict(
            id=str(status.id), created_at=iso(status.created_at),
            in_reply_to_id=str(status.in_reply_to.id) if status.in_reply_to else None,
            in_reply_to_account_id=str(status.in_reply_to.account.id) if status.in_reply_to else None,
            sensitive=status.sensitive, spoiler_text=status.spoiler_text, visibility=status.visibility,
            language=status.language if inner is None else None,
        )
        if inner is None:
            entity["uri"] = f"{self.base}/ap/users/{status.account.id}/statuses/{status.id}"
            entity["url"] = f"{self.base}/@{status.account.username}/{status.id}"
        else:
            entity["uri"] = f"{self.base}/ap/users/{status.account.id}/statuses/{status.id}/activity"
            entity["url"] = None
        entity.update(
            replies_count=sum(1 for s in self.state.statuses.values() if s.in_reply_to is status and not s.deleted),
            reblogs_count=len(status.reblogs), favourites_count=len(status.favourited_by), quotes_count=0,
            edited_at=iso(status.edited_at),
        )
        if viewer is not None:
            entity.update(
                favourited=viewer.id in original.favourited_by,
                reblogged=viewer.id in original.reblogs,
                muted=original.root().id in viewer.muted_conversations,
                bookmarked=viewer.id in original.bookmarked_by,
            )
            if status.account is viewer and inner is None:
                entity["pinned"] = status.pinned
        if source:
            entity["text"] = status.text
        else:
            entity["content"] = status.content
        if inner is not None:
            entity.update(filtered=inner.get("filtered", []), reblog=None, application=None,
                          account=self.account(status.account), media_attachments=[], mentions=[], tags=[],
                          emojis=[], tagged_collections=[], quote=None, card=None, poll=None,
                          quote_approval=inner["quote_approval"])
            if viewer is None:
                entity.pop("filtered")
        return entity

    @staticmethod
    def _quote_approval(status):
        if status.visibility in ("public", "unlisted"):
            return dict(automatic=["public"], manual=[], current_user="automatic")
        return dict(automatic=[], manual=[], current_user="denied")

    def status_source(self, status):
        return dict(id=str(status.id), text=status.text, spoiler_text=status.spoiler_text)

    def status_edits(self, status):
        snapshots = status.edits or [self.state._snapshot(status, status.created_at)]
        return [dict(content=edit["content"], spoiler_text=edit["spoiler_text"], sensitive=edit["sensitive"],
                     created_at=iso(edit["created_at"]), account=self.account(status.account),
                     media_attachments=[self.media(item) for item in edit["media"]], emojis=[],
                     **({"poll": dict(options=[dict(title=title) for title in edit["poll"]])}
                        if edit["poll"] else {}))
                for edit in snapshots]

    def filter_results(self, viewer, status, context):
        """The ``filtered`` list: viewer's active filters for ``context`` that match the status."""
        if context is None:
            return []
        status = status.reblog or status
        text = " ".join([status.spoiler_text, status.text]
                        + [item.description or "" for item in status.media]
                        + (status.poll.options if status.poll else []))
        results = []
        for item in viewer.filters:
            if context not in item.context or not item.active():
                continue
            keywords = [k.keyword for k in item.keywords if _text.matches_keyword(k.keyword, k.whole_word, text)]
            statuses = [str(entry.status_id) for entry in item.statuses if entry.status_id == status.id]
            if keywords or statuses:
                results.append(dict(filter=self.filter(item, rules=False), keyword_matches=keywords or None,
                                    status_matches=statuses or None))
        return results

    def hidden_by_filter(self, viewer, status, context):
        return any(result["filter"]["filter_action"] == "hide"
                   for result in self.filter_results(viewer, status, context))

    def context(self, ancestors, descendants, viewer):
        return dict(ancestors=[self.status(s, viewer, "thread") for s in ancestors],
                    descendants=[self.status(s, viewer, "thread") for s in descendants])

    # -- media and polls ----------------------------------------------------------------------

    def media(self, media):
        processing = media.pending_polls > 0
        extension = (media.mime.split("/", 1)[1].split(";")[0] if "/" in media.mime else "bin").replace("jpeg", "jpg")
        files = f"{self.base}/system/media_attachments/files/{media.id}"
        original = f"{files}/original/{media.key}.{extension}"
        if media.kind in ("image", "gifv"):
            preview = f"{files}/small/{media.key}.{extension}"
        else:
            preview = f"{self.base}/system/media_attachments/thumbnails/{media.id}/original/{media.key}.png"
        meta = {}
        if media.size:
            width, height = media.size
            size = dict(width=width, height=height, size=f"{width}x{height}",
                        aspect=round(width / height, 16) if height else None)
            meta.update(original=size, small=dict(size))
        meta["focus"] = dict(x=media.focus[0], y=media.focus[1])
        return dict(id=str(media.id), type=media.kind,
                    url=None if processing else original,
                    preview_url=preview, remote_url=None, preview_remote_url=None, text_url=None, meta=meta,
                    description=media.description, blurhash=None)

    def poll(self, poll, viewer=None):
        expired = poll.expired()
        own = viewer is not None and poll.status is not None and poll.status.account is viewer
        show_totals = not poll.hide_totals or expired or own
        counts = [0] * len(poll.options)
        for choices in poll.votes.values():
            for choice in choices:
                counts[choice] += 1
        entity = dict(
            id=str(poll.id), expires_at=iso(poll.expires_at), expired=expired, multiple=poll.multiple,
            votes_count=sum(counts), voters_count=len(poll.votes),
            options=[dict(title=title, votes_count=count if show_totals else None)
                     for title, count in zip(poll.options, counts)],
            emojis=[],
        )
        if viewer is not None:
            entity["voted"] = own or viewer.id in poll.votes
            entity["own_votes"] = list(poll.votes.get(viewer.id, []))
            entity = {key: entity[key] for key in ("id", "expires_at", "expired", "multiple", "votes_count",
                                                   "voters_count", "voted", "own_votes", "options", "emojis")}
        return entity

    # -- notifications, lists, filters, markers -----------------------------------------------

    def notification(self, notification, viewer):
        entity = dict(id=str(notification.id), type=notification.type, created_at=iso(notification.created_at),
                      group_key=notification.group_key, account=self.account(notification.account))
        if notification.status is not None:
            entity["status"] = self.status(notification.status, viewer, "notifications")
        return entity

    @staticmethod
    def list(user_list):
        return dict(id=str(user_list.id), title=user_list.title, replies_policy=user_list.replies_policy,
                    exclusive=user_list.exclusive)

    def filter(self, item, rules=True):
        entity = dict(id=str(item.id), title=item.title, context=list(item.context),
                      expires_at=iso(item.expires_at), filter_action=item.action)
        if rules:
            entity["keywords"] = [self.filter_keyword(keyword) for keyword in item.keywords]
            entity["statuses"] = [self.filter_status(entry) for entry in item.statuses]
        return entity

    @staticmethod
    def filter_keyword(keyword):
        return dict(id=str(keyword.id), keyword=keyword.keyword, whole_word=keyword.whole_word)

    @staticmethod
    def filter_status(entry):
        return dict(id=str(entry.id), status_id=str(entry.status_id))

    @staticmethod
    def markers(account, timelines):
        return {name: dict(last_read_id=marker["last_read_id"], version=marker["version"],
                           updated_at=iso(marker["updated_at"]))
                for name, marker in account.markers.items() if not timelines or name in timelines}

    def tag(self, name, viewer=None):
        today = int(now().timestamp()) // 86400 * 86400
        uses = {}
        for status in self.state.statuses.values():
            if not status.deleted and name.lower() in (t.lower() for t in status.tags):
                day = int(status.created_at.timestamp()) // 86400 * 86400
                uses.setdefault(day, set()).add(status.account.id)
                uses[day].add(("status", status.id))
        history = []
        for offset in range(7):
            day = today - offset * 86400
            entries = uses.get(day, set())
            history.append(dict(day=str(day), accounts=str(sum(1 for e in entries if not isinstance(e, tuple))),
                                uses=str(sum(1 for e in entries if isinstance(e, tuple)))))
        entity = dict(id=str(self.state.tag_id(name)), name=name.lower(),
                      url=f"{self.base}/tags/{name.lower()}", history=history)
        if viewer is not None:
            entity["following"] = name.lower() in viewer.followed_tags
            entity["featuring"] = False
        return entity

    # -- apps and the instance ----------------------------------------------------------------

    @staticmethod
    def app(app, credentials=False):
        entity = dict(id=str(app.id), name=app.name, website=app.website, scopes=list(app.scopes),
                      redirect_uris=list(app.redirect_uris), vapid_key=_VAPID_KEY,
                      redirect_uri="\n".join(app.redirect_uris))
        if credentials:
            entity.update(client_id=app.client_id, client_secret=app.client_secret, client_secret_expires_at=0)
        return entity

    def _contact(self):
        accounts = sorted(self.state.accounts.values(), key=lambda a: a.id)
        return self.account(accounts[0]) if accounts else None

    def instance_v1(self):
        state = self.state
        return dict(
            uri=state.domain, title="mastodon.testing", short_description="An in-memory Mastodon for tests.",
            description="", email="", version=VERSION,
            urls=dict(streaming_api=self.base.replace("http", "ws", 1)),
            stats=dict(user_count=len(state.accounts),
                       status_count=sum(1 for s in state.statuses.values() if not s.deleted), domain_count=0),
            thumbnail=None, languages=["en"], registrations=False, approval_required=False,
            invites_enabled=False,
            configuration=dict(accounts=dict(max_featured_tags=10), statuses=dict(STATUS_LIMITS),
                               media_attachments=dict(supported_mime_types=list(SUPPORTED_MIME_TYPES),
                                                      **MEDIA_LIMITS),
                               polls=dict(POLL_LIMITS)),
            contact_account=self._contact(), rules=[],
        )

    def instance_v2(self):
        state = self.state
        return dict(
            domain=state.domain, title="mastodon.testing", version=VERSION,
            source_url="https://github.com/mastodon/mastodon", description="An in-memory Mastodon for tests.",
            usage=dict(users=dict(active_month=len(state.accounts))),
            thumbnail=dict(url=f"{self.base}/packs/media/images/preview.png"), icon=[], languages=["en"],
            configuration=dict(
                urls=dict(streaming=self.base.replace("http", "ws", 1), status=None, about=f"{self.base}/about",
                          privacy_policy=f"{self.base}/privacy-policy", terms_of_service=None),
                vapid=dict(public_key=_VAPID_KEY),
                accounts=dict(max_display_name_length=30, max_note_length=500, max_avatar_description_length=150,
                              max_header_description_length=150, max_featured_tags=10, max_pinned_statuses=5,
                              max_profile_fields=4, profile_field_name_limit=255, profile_field_value_limit=255),
                statuses=dict(STATUS_LIMITS),
                media_attachments=dict(description_limit=1500, supported_mime_types=list(SUPPORTED_MIME_TYPES),
                                       **MEDIA_LIMITS),
                polls=dict(POLL_LIMITS), translation=dict(enabled=False),
                timelines_access=dict(live_feeds=dict(local="public", remote="public"),
                                      hashtag_feeds=dict(local="public", remote="public"),
                                      trending_link_feeds=dict(local="public", remote="public")),
                limited_federation=False,
            ),
            registrations=dict(enabled=False, approval_required=False, reason_required=False, message=None,
                               min_age=None, url=None),
            api_versions=dict(mastodon=7), wrapstodon=None,
            contact=dict(email="", account=self._contact()), rules=[],
        )

    def oauth_metadata(self):
        from .state import SCOPES
        base = self.base
        return dict(
            issuer=f"{base}/", authorization_endpoint=f"{base}/oauth/authorize",
            token_endpoint=f"{base}/oauth/token", revocation_endpoint=f"{base}/oauth/revoke",
            userinfo_endpoint=f"{base}/oauth/userinfo", scopes_supported=sorted(SCOPES),
            response_types_supported=["code"], response_modes_supported=["query", "fragment", "form_post"],
            grant_types_supported=["authorization_code", "client_credentials"],
            token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
            code_challenge_methods_supported=["S256"], service_documentation="https://docs.joinmastodon.org/",
            app_registration_endpoint=f"{base}/api/v1/apps",
        )

    def page(self, title, body):
        """A minimal HTML page (the OAuth screens)."""
        return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)} - "
                f"mastodon.testing</title></head><body><h1>{html.escape(title)}</h1>{body}</body></html>")


# A well-formed P-256 public key in the form Mastodon publishes; push delivery is not implemented.
_VAPID_KEY = "BAhxXyHfAoMqrZECjRI56F5QrE4ynVlkZFMdKSpTIsWRNoWUVgut-Bnz2xsMSwiN4AF0b4I7ixF24OwiicOJivw="
