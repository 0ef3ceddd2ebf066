"""Sending email. With no SMTP server configured, mail goes to the log and to
``instance/outbox/`` so that someone running the portal locally can follow an
invitation or reset link.

Only in development does the log say who a mail went to and what it said (on
one line: line breaks in a name or a body are escaped, so a name cannot forge
a log line). Elsewhere the log names a mail by its Message-ID only: addresses
are personal data, and links in mails are secrets."""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from portal.security_log import one_line

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server refused a mail or could not be reached."""


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="youthcabinet.portal")
    message.set_content(body)
    return message


def _send(message: EmailMessage, to: str, subject: str, body: str) -> None:
    """Hand one mail to the server (or the outbox folder); MailNotSent if refused."""
    config = current_app.config
    personal = config["ENV"] == "development"
    if not config["MAIL_SERVER"]:
        path = _write_to_outbox(message, to)
        if personal:
            log.info(
                "Mail to %s (no MAIL_SERVER set, kept in %s): %s | %s",
                one_line(to),
                one_line(path),
                one_line(subject),
                one_line(body),
            )
        else:
            log.warning("Mail %s kept in the outbox folder: no PORTAL_MAIL_SERVER is set", message["Message-ID"])
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        if personal:
            log.warning("Could not send mail to %s: %s (%s)", one_line(to), one_line(subject), one_line(error))
        else:  # the error's text can hold the address (SMTPRecipientsRefused)
            code = getattr(error, "smtp_code", "")
            log.error("Could not send mail %s: %s %s", message["Message-ID"], type(error).__name__, code)
        raise MailNotSent(message["Message-ID"]) from None


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email now. Returns False (and logs) when the server
    refused it: for a caller that tells someone (an invitation that could not
    go leaves the officer a note)."""
    try:
        _send(_message(to, subject, body), to, subject, body)
    except MailNotSent:
        return False
    return True


def send_mail_later(to: str, subject: str, body: str) -> None:
    """Send on the queue (portal/tasks.py): the request does not wait, so how
    long a page takes tells nothing, and a refused mail is tried again later,
    each wait twice the one before, then kept in ``outbox/undelivered/``.
    Tests send at once, to read the outbox straight after."""
    if current_app.config["BACKGROUND_INLINE"]:
        deliver(to, subject, body, last_try=True)
        return
    from portal.background import context_of_request
    from portal.tasks import deliver_mail

    deliver_mail(to, subject, body, context_of_request())


def deliver(to: str, subject: str, body: str, last_try: bool) -> None:
    """One try of a queued mail. A refusal raises (the queue tries again),
    except on the last try: then the mail is kept for an officer to send by
    hand, and the log says so."""
    message = _message(to, subject, body)
    try:
        _send(message, to, subject, body)
    except MailNotSent:
        if not last_try:
            raise
        _write_to_outbox(message, to, folder="undelivered")
        log.error("Mail %s given up after its last try; kept in the outbox's undelivered folder", message["Message-ID"])


def _write_to_outbox(message: EmailMessage, to: str, folder: str = "") -> Path:
    outbox = Path(current_app.config["OUTBOX_DIR"]) / folder
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    slug = re.sub(r"[^a-z0-9]+", "-", to.lower()).strip("-")[:60]
    path = outbox / f"{stamp}-{slug}.eml"
    path.write_bytes(message.as_bytes())
    return path
