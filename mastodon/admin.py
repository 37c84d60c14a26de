"""The admin and moderation API: accounts, reports, domain / e-mail / IP blocks, statistics and trends.

Admin tokens can read every user's private data, so this module never logs or prints anything,
and its error messages name the argument that was wrong and what is allowed, never the value
given (which might be an e-mail address, an IP address or a token pasted into the wrong slot).

Destructive calls (deleting and suspending accounts, creating and changing blocks) check every
argument before anything is sent: a typo raises :class:`MastodonIllegalArgumentError` and the
server never sees a half-formed request. For valid input the wire format is that of Mastodon.py
1.8.1 (or 2.x for the methods 1.8.1 did not have).
"""

from __future__ import annotations

from typing import Sequence, overload

from .return_types import (  # noqa: F401 (used in annotations)
    Account, AdminAccount, AdminCanonicalEmailBlock, AdminDimension, AdminDomainAllow,
    AdminDomainBlock, AdminEmailDomainBlock, AdminIpBlock, AdminMeasure, AdminReport,
    AdminRetention, DateTime, IdType, List, NonPaginatableList, Optional, PaginatableList,
    PreviewCard, PrimitiveIdType, Rule, Status, Tag, Union,
)
from ._binding import rebinding
from .reports import _REPORT_CATEGORIES
from ._validation import (
    checked_choice as _checked_choice, checked_expiry as _checked_expiry, checked_flag as _checked_flag,
    checked_id as _checked_id, checked_ip as _checked_ip, checked_optional_id as _checked_optional_id,
    checked_text as _checked_text, fail as _fail,
)
from .internals import Mastodon as Internals
from .versions import (
    _DICT_VERSION_ADMIN_ACCOUNT, _DICT_VERSION_ADMIN_DIMENSION, _DICT_VERSION_ADMIN_DOMAIN_BLOCK,
    _DICT_VERSION_ADMIN_MEASURE, _DICT_VERSION_ADMIN_RETENTION, _DICT_VERSION_CARD, _DICT_VERSION_HASHTAG,
    _DICT_VERSION_REPORT, _DICT_VERSION_STATUS, api_version,
)

_ACCOUNT_STATUSES = ("active", "pending", "disabled", "silenced", "suspended")
_MODERATION_ACTIONS = ("none", "sensitive", "disable", "silence", "suspend")
_DOMAIN_BLOCK_SEVERITIES = ("noop", "silence", "suspend")
_IP_BLOCK_SEVERITIES = ("sign_up_requires_approval", "sign_up_block", "no_access")
_RETENTION_FREQUENCIES = ("day", "month")

class Mastodon(Internals):
    # -----------------------------------------------------------------------------------------
    # Accounts

    @api_version("2.9.1", "4.0.0", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_accounts_v2(self, origin: Optional[str] = None, by_domain: Optional[str] = None,
                          status: Optional[str] = None, username: Optional[str] = None,
                          display_name: Optional[str] = None, email: Optional[str] = None,
                          ip: Optional[str] = None, permissions: Optional[str] = None,
                          invited_by: Optional[Union[Account, IdType]] = None,
                          role_ids: Optional[Union[IdType, Sequence[IdType]]] = None,
                          max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                          since_id: Optional[IdType] = None, limit: Optional[int] = None
                          ) -> List[AdminAccount]:
        """Accounts known to the server, filtered (v2 endpoint, Mastodon 4.0+; list of AdminAccount).

        ``origin`` is ``'local'`` or ``'remote'``; ``status`` one of ``active``, ``pending``,
        ``disabled``, ``silenced``, ``suspended``; ``permissions`` only ``'staff'``;
        ``by_domain`` may be a URL (the scheme is removed); ``role_ids`` one role or a list.
        Raises :class:`MastodonIllegalArgumentError` for other values, before sending anything.
        """
        if permissions is not None and permissions != "staff":
            _fail("permissions must be None or 'staff'")
        _checked_choice(origin, "origin", ("local", "remote"))
        _checked_choice(status, "status", _ACCOUNT_STATUSES)
        if isinstance(by_domain, str):
            by_domain = self.__deprotocolize(by_domain)
        invited_by = self.__unpack_id(invited_by)
        role_ids = self.__unpack_id(role_ids, listify=True)
        params = self.__generate_params(dict(
            origin=origin, by_domain=by_domain, status=status, username=username, display_name=display_name,
            email=email, ip=ip, permissions=permissions, invited_by=invited_by, role_ids=role_ids,
            max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v2/admin/accounts", params)

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_accounts(self, remote: bool = False, by_domain: Optional[str] = None, status: str = "active",
                       username: Optional[str] = None, display_name: Optional[str] = None,
                       email: Optional[str] = None, ip: Optional[str] = None, staff_only: bool = False,
                       max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                       since_id: Optional[IdType] = None, limit: Optional[int] = None) -> List[AdminAccount]:
        """Deprecated alias of :meth:`admin_accounts_v1` (list of AdminAccount).

        Unlike Mastodon.py 1.8.1, which silently dropped it, ``limit`` is passed on.
        """
        # admin_accounts_v1 declares an AdminAccount, as Mastodon.py does, and answers a list: reported,
        # as correcting its annotation would change how its result is cast.
        return self.admin_accounts_v1(  # type: ignore[return-value]
            remote=remote, by_domain=by_domain, status=status, username=username, display_name=display_name,
            email=email, ip=ip, staff_only=staff_only, max_id=max_id, min_id=min_id, since_id=since_id,
            limit=limit)

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_accounts_v1(self, remote: bool = False, by_domain: Optional[str] = None, status: str = "active",
                          username: Optional[str] = None, display_name: Optional[str] = None,
                          email: Optional[str] = None, ip: Optional[str] = None, staff_only: bool = False,
                          max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                          since_id: Optional[IdType] = None, limit: Optional[int] = None) -> AdminAccount:
        """Accounts known to the server, filtered (v1 endpoint, deprecated by Mastodon; list of AdminAccount).

        ``status`` is one of ``active``, ``pending``, ``disabled``, ``silenced``, ``suspended``
        (anything else raises :class:`MastodonIllegalArgumentError`, a ValueError). ``remote``
        limits the list to remote accounts and ``staff_only`` to staff. ``by_domain`` is sent as given.
        """
        _checked_choice(status, "status", _ACCOUNT_STATUSES, required=True)
        params = self.__generate_params(dict(
            by_domain=by_domain, username=username, display_name=display_name, email=email, ip=ip,
            max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        # Mastodon.py 1.8.1 appends these as Python booleans, which go out as the text "True".
        if remote:
            params["remote"] = True
        if staff_only:
            params["staff"] = True
        params[status] = True
        return self.__api_request("GET", "/api/v1/admin/accounts", params)

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """One account with its admin-only details (AdminAccount)."""
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("GET", f"/api/v1/admin/accounts/{id}")

    def __admin_account_post(self, id, action):
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("POST", f"/api/v1/admin/accounts/{id}/{action}")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account_enable(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """Re-enable a local account whose login was disabled (AdminAccount)."""
        return self.__admin_account_post(id, "enable")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account_approve(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """Approve a pending sign-up (AdminAccount)."""
        return self.__admin_account_post(id, "approve")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account_reject(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """Reject a pending sign-up; the account is deleted (AdminAccount)."""
        return self.__admin_account_post(id, "reject")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account_unsilence(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """Lift a silence (limit) on an account (AdminAccount)."""
        return self.__admin_account_post(id, "unsilence")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account_unsuspend(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """Lift a suspension (AdminAccount)."""
        return self.__admin_account_post(id, "unsuspend")

    @api_version("3.3.0", "3.3.0", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account_unsensitive(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """Stop forcing an account's media to be marked sensitive (AdminAccount)."""
        return self.__admin_account_post(id, "unsensitive")

    @api_version("3.3.0", "3.3.0", _DICT_VERSION_ADMIN_ACCOUNT)
    def admin_account_delete(self, id: Union[Account, AdminAccount, IdType]) -> AdminAccount:
        """Permanently delete the data of a suspended account (AdminAccount).

        Raises :class:`MastodonIllegalArgumentError` for a missing or malformed id, before sending.
        """
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("DELETE", f"/api/v1/admin/accounts/{id}")

    @api_version("2.9.1", "2.9.1", "2.9.1")
    def admin_account_moderate(self, id: Union[Account, AdminAccount, IdType], action: Optional[str] = None,
                               report_id: Optional[Union[AdminReport, PrimitiveIdType]] = None,
                               warning_preset_id: Optional[PrimitiveIdType] = None,
                               text: Optional[str] = None, send_email_notification: Optional[bool] = True
                               ) -> None:
        """Act on an account: ``action`` is ``none`` (default, a warning), ``sensitive``,
        ``disable``, ``silence`` or ``suspend``.

        ``report_id`` links (and resolves) a report, ``warning_preset_id`` and ``text`` make up the
        message to the user, who is e-mailed unless ``send_email_notification`` is False.
        Every argument is checked before sending; a bad one raises
        :class:`MastodonIllegalArgumentError`. Returns None.
        """
        id = _checked_id(self.__unpack_id(id))
        action = "none" if action is None else _checked_choice(action, "action", _MODERATION_ACTIONS)
        report_id = _checked_optional_id(self.__unpack_id(report_id), "report_id")
        warning_preset_id = _checked_optional_id(self.__unpack_id(warning_preset_id), "warning_preset_id")
        text = _checked_text(text, "text")
        _checked_flag(send_email_notification, "send_email_notification")
        params = self.__generate_params(dict(
            report_id=report_id, warning_preset_id=warning_preset_id, text=text,
            send_email_notification=send_email_notification), omit_false=("send_email_notification",))
        params["type"] = action
        self.__api_request("POST", f"/api/v1/admin/accounts/{id}/action", params)

    # -----------------------------------------------------------------------------------------
    # Reports

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_REPORT)
    def admin_reports(self, resolved: Optional[bool] = False,
                      account_id: Optional[Union[Account, AdminAccount, IdType]] = None,
                      target_account_id: Optional[Union[Account, AdminAccount, IdType]] = None,
                      max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                      since_id: Optional[IdType] = None, limit: Optional[int] = None,
                      unresolved: Optional[bool] = None) -> PaginatableList[AdminReport]:
        """Reports, unresolved ones unless ``resolved`` (list of AdminReport).

        ``account_id`` / ``target_account_id`` filter by reporting / reported account.
        ``unresolved`` is sent as given (``'1'`` / ``'0'``) when not None; with both it and
        ``resolved`` True, Mastodon 4.6 lists every report.
        """
        params = self.__generate_params(dict(
            resolved=resolved, account_id=self.__unpack_id(account_id),
            target_account_id=self.__unpack_id(target_account_id), max_id=max_id, min_id=min_id,
            since_id=since_id, limit=limit, unresolved=unresolved), omit_false=("resolved",))
        return self.__api_request("GET", "/api/v1/admin/reports", params)

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_REPORT)
    def admin_report(self, id: Union[AdminReport, IdType]) -> AdminReport:
        """One report (AdminReport)."""
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("GET", f"/api/v1/admin/reports/{id}")

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_REPORT)
    def admin_update_report(self, id: Union[AdminReport, IdType], category: Optional[str] = None,
                            rule_ids: Optional[List[Union[Rule, IdType]]] = None) -> AdminReport:
        """Change a report's category (``'spam'``, ``'violation'`` with the broken ``rule_ids``,
        ``'legal'`` or ``'other'``); returns the AdminReport. An unknown category raises
        MastodonIllegalArgumentError before anything is sent."""
        id = _checked_id(self.__unpack_id(id))
        category = _checked_choice(category, "category", _REPORT_CATEGORIES)
        params = self.__generate_params(dict(category=category, rule_ids=self.__unpack_id(rule_ids, listify=True)))
        return self.__api_request("PUT", f"/api/v1/admin/reports/{id}", params)

    def __admin_report_post(self, id, action):
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("POST", f"/api/v1/admin/reports/{id}/{action}")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_REPORT)
    def admin_report_assign(self, id: Union[AdminReport, IdType]) -> AdminReport:
        """Assign a report to the logged-in moderator (AdminReport)."""
        return self.__admin_report_post(id, "assign_to_self")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_REPORT)
    def admin_report_unassign(self, id: Union[AdminReport, IdType]) -> AdminReport:
        """Remove the assignee of a report (AdminReport)."""
        return self.__admin_report_post(id, "unassign")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_REPORT)
    def admin_report_reopen(self, id: Union[AdminReport, IdType]) -> AdminReport:
        """Reopen a resolved report (AdminReport)."""
        return self.__admin_report_post(id, "reopen")

    @api_version("2.9.1", "2.9.1", _DICT_VERSION_REPORT)
    def admin_report_resolve(self, id: Union[AdminReport, IdType]) -> AdminReport:
        """Mark a report resolved without acting on the account (AdminReport)."""
        return self.__admin_report_post(id, "resolve")

    # -----------------------------------------------------------------------------------------
    # Trends

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_HASHTAG)
    def admin_trending_tags(self, limit: Optional[int] = None) -> NonPaginatableList[Tag]:
        """Trending hashtags including those not yet approved (list of Tag)."""
        params = self.__generate_params(dict(limit=limit))
        return self.__api_request("GET", "/api/v1/admin/trends/tags", params)

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_STATUS)
    def admin_trending_statuses(self) -> NonPaginatableList[Status]:
        """Trending statuses including those not yet approved (list of Status)."""
        return self.__api_request("GET", "/api/v1/admin/trends/statuses")

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_CARD)
    def admin_trending_links(self) -> NonPaginatableList[PreviewCard]:
        """Trending links including those not yet approved (list of PreviewCard)."""
        return self.__api_request("GET", "/api/v1/admin/trends/links")

    def __admin_trend_review(self, kind, id, verdict):
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("POST", f"/api/v1/admin/trends/{kind}/{id}/{verdict}")

    @api_version("4.2.0", "4.2.0", "4.6.0")
    def admin_approve_trending_link(self, id: Union[PreviewCard, IdType]) -> PreviewCard:
        """Allow a link to trend (PreviewCard)."""
        return self.__admin_trend_review("links", id, "approve")

    @api_version("4.2.0", "4.2.0", "4.6.0")
    def admin_reject_trending_link(self, id: Union[PreviewCard, IdType]) -> PreviewCard:
        """Keep a link from trending (PreviewCard)."""
        return self.__admin_trend_review("links", id, "reject")

    @api_version("4.2.0", "4.2.0", "4.6.0")
    def admin_approve_trending_status(self, id: Union[Status, IdType]) -> Status:
        """Allow a status to trend (Status)."""
        return self.__admin_trend_review("statuses", id, "approve")

    @api_version("4.2.0", "4.2.0", "4.6.0")
    def admin_reject_trending_status(self, id: Union[Status, IdType]) -> Status:
        """Keep a status from trending (Status)."""
        return self.__admin_trend_review("statuses", id, "reject")

    @api_version("4.2.0", "4.2.0", "4.4.0")
    def admin_approve_trending_tag(self, id: Union[Tag, IdType]) -> Tag:
        """Allow a hashtag to trend (Tag)."""
        return self.__admin_trend_review("tags", id, "approve")

    @api_version("4.2.0", "4.2.0", "4.4.0")
    def admin_reject_trending_tag(self, id: Union[Tag, IdType]) -> Tag:
        """Keep a hashtag from trending (Tag)."""
        return self.__admin_trend_review("tags", id, "reject")

    # -----------------------------------------------------------------------------------------
    # Domain blocks

    # With an id one block, else the blocks.
    @overload
    def admin_domain_blocks(self, id: IdType, max_id: Optional[IdType] = None,
                            min_id: Optional[IdType] = None, since_id: Optional[IdType] = None,
                            limit: Optional[int] = None
                            ) -> AdminDomainBlock: ...
    @overload
    def admin_domain_blocks(self, id: None = None, max_id: Optional[IdType] = None,
                            min_id: Optional[IdType] = None, since_id: Optional[IdType] = None,
                            limit: Optional[int] = None
                            ) -> PaginatableList[AdminDomainBlock]: ...
    @overload
    def admin_domain_blocks(self, id: Optional[IdType] = None, max_id: Optional[IdType] = None,
                            min_id: Optional[IdType] = None, since_id: Optional[IdType] = None,
                            limit: Optional[int] = None
                            ) -> Union[AdminDomainBlock, PaginatableList[AdminDomainBlock]]: ...

    @api_version("4.0.0", "4.0.0", _DICT_VERSION_ADMIN_DOMAIN_BLOCK)
    def admin_domain_blocks(self, id: Optional[IdType] = None, max_id: Optional[IdType] = None,
                            min_id: Optional[IdType] = None, since_id: Optional[IdType] = None,
                            limit: Optional[int] = None
                            ) -> Union[AdminDomainBlock, PaginatableList[AdminDomainBlock]]:
        """The blocked domains (list of AdminDomainBlock), or with ``id`` that one block (AdminDomainBlock).

        ``limit`` is sent (Mastodon.py 1.8.1 silently dropped it).
        """
        if id is not None:
            id = _checked_id(self.__unpack_id(id))
            return self.__api_request("GET", f"/api/v1/admin/domain_blocks/{id}")
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit),
                                        dateconv=False)
        return self.__api_request("GET", "/api/v1/admin/domain_blocks/", params)

    def __domain_block_params(self, severity, reject_media, reject_reports, private_comment, public_comment,
                              obfuscate):
        _checked_choice(severity, "severity", _DOMAIN_BLOCK_SEVERITIES)
        _checked_flag(reject_media, "reject_media")
        _checked_flag(reject_reports, "reject_reports")
        _checked_text(private_comment, "private_comment")
        _checked_text(public_comment, "public_comment")
        _checked_flag(obfuscate, "obfuscate")
        return dict(severity=severity, reject_media=reject_media, reject_reports=reject_reports,
                    private_comment=private_comment, public_comment=public_comment, obfuscate=obfuscate)

    @api_version("4.0.0", "4.0.0", _DICT_VERSION_ADMIN_DOMAIN_BLOCK)
    def admin_create_domain_block(self, domain: str, severity: Optional[str] = None,
                                  reject_media: Optional[bool] = None, reject_reports: Optional[bool] = None,
                                  private_comment: Optional[str] = None, public_comment: Optional[str] = None,
                                  obfuscate: Optional[bool] = None) -> AdminDomainBlock:
        """Block a domain (AdminDomainBlock).

        ``severity`` is ``noop``, ``silence`` (the server's default) or ``suspend``; ``reject_media``
        and ``reject_reports`` drop its media and reports; ``obfuscate`` hides the domain name in
        the public list. The domain is sent exactly as given (dialect ``"2"`` refuses one
        containing ``://``, as Mastodon.py 2.3.3 does). Every argument is checked before
        sending; a bad one raises :class:`MastodonIllegalArgumentError`.
        """
        domain = _checked_text(domain, "domain", required=True)
        self.__dialect.check_admin_block_domain(domain)
        options = self.__domain_block_params(severity, reject_media, reject_reports, private_comment,
                                             public_comment, obfuscate)
        params = self.__generate_params(dict(domain=domain, **options))
        return self.__api_request("POST", "/api/v1/admin/domain_blocks/", params)

    @api_version("4.0.0", "4.0.0", _DICT_VERSION_ADMIN_DOMAIN_BLOCK)
    def admin_update_domain_block(self, id: Union[AdminDomainBlock, IdType], severity: Optional[str] = None,
                                  reject_media: Optional[bool] = None, reject_reports: Optional[bool] = None,
                                  private_comment: Optional[str] = None, public_comment: Optional[str] = None,
                                  obfuscate: Optional[bool] = None) -> AdminDomainBlock:
        """Change a domain block; only the options given are changed (AdminDomainBlock).

        Options as for :meth:`admin_create_domain_block`; checked before sending.
        """
        id = _checked_id(self.__unpack_id(id))
        params = self.__generate_params(self.__domain_block_params(
            severity, reject_media, reject_reports, private_comment, public_comment, obfuscate))
        return self.__api_request("PUT", f"/api/v1/admin/domain_blocks/{id}", params)

    @rebinding
    @api_version("4.0.0", "4.0.0", _DICT_VERSION_ADMIN_DOMAIN_BLOCK)
    def admin_delete_domain_block(self, id: Optional[Union[AdminDomainBlock, IdType]] = None) -> None:
        """Lift a domain block. A missing id raises :class:`MastodonIllegalArgumentError` (in dialect
        ``"2"`` the TypeError of Mastodon.py 2.x, where ``id`` is required). Returns None."""
        id = _checked_id(self.__unpack_id(id))
        self.__api_request("DELETE", f"/api/v1/admin/domain_blocks/{id}")

    # -----------------------------------------------------------------------------------------
    # Domain allows (federation allow-list mode)

    @api_version("4.0.0", "4.0.0")
    def admin_domain_allows(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                            since_id: Optional[IdType] = None, limit: Optional[int] = None
                            ) -> PaginatableList[AdminDomainAllow]:
        """Domains allowed to federate in allow-list mode (list of AdminDomainAllow)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/admin/domain_allows", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_domain_allow(self, id: Union[AdminDomainAllow, IdType]) -> AdminDomainAllow:
        """One allowed domain (AdminDomainAllow)."""
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("GET", f"/api/v1/admin/domain_allows/{id}")

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_create_domain_allow(self, domain: str) -> AdminDomainAllow:
        """Allow a domain to federate (AdminDomainAllow)."""
        domain = _checked_text(domain, "domain", required=True)
        return self.__api_request("POST", "/api/v1/admin/domain_allows", {"domain": domain})

    @api_version("4.0.0", "4.0.0")
    def admin_delete_domain_allow(self, id: Union[AdminDomainAllow, IdType]) -> None:
        """Remove a domain from the allow-list. Returns None."""
        id = _checked_id(self.__unpack_id(id))
        self.__api_request("DELETE", f"/api/v1/admin/domain_allows/{id}")

    # -----------------------------------------------------------------------------------------
    # Canonical e-mail blocks (a hash of the normalised address)

    @api_version("4.0.0", "4.0.0")
    def admin_canonical_email_blocks(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                                     since_id: Optional[IdType] = None, limit: Optional[int] = None
                                     ) -> PaginatableList[AdminCanonicalEmailBlock]:
        """Blocked canonical e-mail hashes (list of AdminCanonicalEmailBlock)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/admin/canonical_email_blocks", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_canonical_email_block(self, id: IdType) -> AdminCanonicalEmailBlock:
        """One canonical e-mail block (AdminCanonicalEmailBlock)."""
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("GET", f"/api/v1/admin/canonical_email_blocks/{id}")

    @api_version("4.0.0", "4.0.0")
    def admin_test_canonical_email_block(self, email: str) -> NonPaginatableList[AdminCanonicalEmailBlock]:
        """The canonical e-mail blocks matching an address (list of AdminCanonicalEmailBlock)."""
        email = _checked_text(email, "email", required=True)
        return self.__api_request("POST", "/api/v1/admin/canonical_email_blocks/test", {"email": email})

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_create_canonical_email_block(self, email: Optional[str] = None,
                                           canonical_email_hash: Optional[str] = None
                                           ) -> AdminCanonicalEmailBlock:
        """Block an e-mail address, given as the address or as its canonical hash
        (AdminCanonicalEmailBlock). Neither given raises :class:`MastodonIllegalArgumentError`.
        """
        email = _checked_text(email, "email", required=email is not None)
        canonical_email_hash = _checked_text(canonical_email_hash, "canonical_email_hash",
                                             required=canonical_email_hash is not None)
        if email is None and canonical_email_hash is None:
            _fail("Must provide either email or canonical_email_hash")
        params = self.__generate_params(dict(email=email, canonical_email_hash=canonical_email_hash))
        return self.__api_request("POST", "/api/v1/admin/canonical_email_blocks", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_delete_canonical_email_block(self, id: IdType) -> AdminCanonicalEmailBlock:
        """Lift a canonical e-mail block (the server's answer, AdminCanonicalEmailBlock)."""
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("DELETE", f"/api/v1/admin/canonical_email_blocks/{id}")

    # -----------------------------------------------------------------------------------------
    # E-mail domain blocks

    @api_version("4.0.0", "4.0.0")
    def admin_email_domain_blocks(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                                  since_id: Optional[IdType] = None, limit: Optional[int] = None
                                  ) -> PaginatableList[AdminEmailDomainBlock]:
        """E-mail domains barred from signing up (list of AdminEmailDomainBlock)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/admin/email_domain_blocks", params)

    @api_version("4.1.0", "4.1.0", "4.0.0")
    def admin_email_domain_block(self, id: IdType) -> AdminEmailDomainBlock:
        """One e-mail domain block (AdminEmailDomainBlock)."""
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("GET", f"/api/v1/admin/email_domain_blocks/{id}")

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_create_email_domain_block(self, domain: str) -> AdminEmailDomainBlock:
        """Bar an e-mail domain from signing up (AdminEmailDomainBlock)."""
        domain = _checked_text(domain, "domain", required=True)
        return self.__api_request("POST", "/api/v1/admin/email_domain_blocks", {"domain": domain})

    @api_version("4.0.0", "4.0.0")
    def admin_delete_email_domain_block(self, id: IdType) -> None:
        """Lift an e-mail domain block. Returns None."""
        id = _checked_id(self.__unpack_id(id))
        self.__api_request("DELETE", f"/api/v1/admin/email_domain_blocks/{id}")

    # -----------------------------------------------------------------------------------------
    # IP blocks

    @api_version("4.0.0", "4.0.0")
    def admin_ip_blocks(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                        since_id: Optional[IdType] = None, limit: Optional[int] = None
                        ) -> PaginatableList[AdminIpBlock]:
        """Blocked IP addresses and ranges (list of AdminIpBlock)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/admin/ip_blocks", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_ip_block(self, id: Union[AdminIpBlock, IdType]) -> AdminIpBlock:
        """One IP block (AdminIpBlock)."""
        id = _checked_id(self.__unpack_id(id))
        return self.__api_request("GET", f"/api/v1/admin/ip_blocks/{id}")

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_create_ip_block(self, ip: str, severity: str, comment: Optional[str] = None,
                              expires_in: Optional[int] = None) -> AdminIpBlock:
        """Block an IP address or CIDR range (AdminIpBlock).

        ``severity`` is ``sign_up_requires_approval``, ``sign_up_block`` or ``no_access``;
        ``expires_in`` is in seconds. Checked before sending (:class:`MastodonIllegalArgumentError`).
        """
        ip = _checked_ip(ip, "ip", required=True)
        _checked_choice(severity, "severity", _IP_BLOCK_SEVERITIES, required=True)
        _checked_text(comment, "comment")
        _checked_expiry(expires_in)
        params = self.__generate_params(dict(ip=ip, severity=severity, comment=comment, expires_in=expires_in))
        return self.__api_request("POST", "/api/v1/admin/ip_blocks", params)

    @api_version("4.0.0", "4.0.0", "4.0.0")
    def admin_update_ip_block(self, id: Union[AdminIpBlock, IdType], ip: Optional[str] = None,
                              severity: Optional[str] = None, comment: Optional[str] = None,
                              expires_in: Optional[int] = None) -> AdminIpBlock:
        """Change an IP block; only the options given are changed (AdminIpBlock).

        Options as for :meth:`admin_create_ip_block`; checked before sending.
        """
        id = _checked_id(self.__unpack_id(id))
        ip = _checked_ip(ip, "ip")
        _checked_choice(severity, "severity", _IP_BLOCK_SEVERITIES)
        _checked_text(comment, "comment")
        _checked_expiry(expires_in)
        # Mastodon.py 2.x also sends the id in the form; the server ignores it.
        params = self.__generate_params(dict(id=id, ip=ip, severity=severity, comment=comment,
                                             expires_in=expires_in))
        return self.__api_request("PUT", f"/api/v1/admin/ip_blocks/{id}", params)

    @api_version("4.0.0", "4.0.0")
    def admin_delete_ip_block(self, id: Union[AdminIpBlock, IdType]) -> None:
        """Lift an IP block. Returns None."""
        id = _checked_id(self.__unpack_id(id))
        self.__api_request("DELETE", f"/api/v1/admin/ip_blocks/{id}")

    # -----------------------------------------------------------------------------------------
    # Statistics

    def __admin_stat_keys(self, flags, tags, instances):
        """The ``keys`` list and per-key options of a measures / dimensions request."""
        keys = [name for name, wanted in flags if wanted == True]  # noqa: E712 (1.8.1 compares to True)
        options = {}
        for name, tag in tags:
            if tag is not None:
                keys.append(name)
                options[name] = {"id": self.__unpack_id(tag)}
        for name, instance in instances:
            if instance is not None:
                if not isinstance(instance, str):
                    _fail(f"{name} must be a domain (str)")
                keys.append(name)
                options[name] = {"domain": self.__deprotocolize(instance).split("/")[0]}
        return keys, options

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_ADMIN_MEASURE)
    def admin_measures(self, start_at: DateTime, end_at: DateTime, active_users: bool = False, new_users: bool = False,
                       interactions: bool = False, opened_reports: bool = False,
                       resolved_reports: bool = False, tag_accounts: Optional[Union[Tag, IdType]] = None,
                       tag_uses: Optional[Union[Tag, IdType]] = None,
                       tag_servers: Optional[Union[Tag, IdType]] = None,
                       instance_accounts: Optional[str] = None,
                       instance_media_attachments: Optional[str] = None,
                       instance_reports: Optional[str] = None, instance_statuses: Optional[str] = None,
                       instance_follows: Optional[str] = None, instance_followers: Optional[str] = None
                       ) -> NonPaginatableList[AdminMeasure]:
        """Quantitative statistics between two datetimes (list of AdminMeasure).

        Set the wanted boolean metrics to True; ``tag_*`` take a hashtag (id or entity) and
        ``instance_*`` a domain. Asking for nothing, or a start / end that is not a datetime,
        raises :class:`MastodonIllegalArgumentError`.
        """
        keys, params = self.__admin_stat_keys(
            (("active_users", active_users), ("new_users", new_users), ("interactions", interactions),
             ("opened_reports", opened_reports), ("resolved_reports", resolved_reports)),
            (("tag_accounts", tag_accounts), ("tag_uses", tag_uses), ("tag_servers", tag_servers)),
            (("instance_accounts", instance_accounts), ("instance_media_attachments", instance_media_attachments),
             ("instance_reports", instance_reports), ("instance_statuses", instance_statuses),
             ("instance_follows", instance_follows), ("instance_followers", instance_followers)))
        if not keys:
            _fail("Must request at least one metric.")
        params["keys"] = keys
        params["start_at"] = self.__consistent_isoformat_utc(start_at)
        params["end_at"] = self.__consistent_isoformat_utc(end_at)
        return self.__api_request("POST", "/api/v1/admin/measures", params, use_json=True)

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_ADMIN_DIMENSION)
    def admin_dimensions(self, start_at: DateTime, end_at: DateTime, limit: Optional[int] = None,
                         languages: bool = False, sources: bool = False, servers: bool = False,
                         space_usage: bool = False, software_versions: bool = False,
                         tag_servers: Optional[Union[Tag, IdType]] = None,
                         tag_languages: Optional[Union[Tag, IdType]] = None,
                         instance_accounts: Optional[str] = None, instance_languages: Optional[str] = None
                         ) -> NonPaginatableList[AdminDimension]:
        """Qualitative statistics between two datetimes, top ``limit`` entries each
        (list of AdminDimension).

        Set the wanted boolean dimensions to True; ``tag_*`` take a hashtag and ``instance_*`` a
        domain. Asking for nothing, or a start / end that is not a datetime, raises
        :class:`MastodonIllegalArgumentError`.
        """
        keys, params = self.__admin_stat_keys(
            (("languages", languages), ("sources", sources), ("servers", servers), ("space_usage", space_usage),
             ("software_versions", software_versions)),
            (("tag_servers", tag_servers), ("tag_languages", tag_languages)),
            (("instance_accounts", instance_accounts), ("instance_languages", instance_languages)))
        if not keys:
            _fail("Must request at least one dimension.")
        params["keys"] = keys
        if limit is not None:
            params["limit"] = limit
        params["start_at"] = self.__consistent_isoformat_utc(start_at)
        params["end_at"] = self.__consistent_isoformat_utc(end_at)
        return self.__api_request("POST", "/api/v1/admin/dimensions", params, use_json=True)

    @api_version("3.5.0", "3.5.0", _DICT_VERSION_ADMIN_RETENTION)
    def admin_retention(self, start_at: DateTime, end_at: DateTime, frequency: str = "day"
                        ) -> NonPaginatableList[AdminRetention]:
        """User retention by sign-up cohort, per ``day`` or ``month`` (list of AdminRetention).

        A ``frequency`` other than those, or a start / end that is not a datetime, raises
        :class:`MastodonIllegalArgumentError`.
        """
        _checked_choice(frequency, "frequency", _RETENTION_FREQUENCIES, required=True)
        params = dict(start_at=self.__consistent_isoformat_utc(start_at),
                      end_at=self.__consistent_isoformat_utc(end_at), frequency=frequency)
        return self.__api_request("POST", "/api/v1/admin/retention", params)
