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

from portal.background import after_response
from portal.security_log import one_line

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email. Returns False (and logs) when the server refused it."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="youthcabinet.portal")
    message.set_content(body)

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
        return True
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException) as error:
        if personal:
            log.exception("Could not send mail to %s: %s", one_line(to), one_line(subject))
        else:  # the error's text can hold the address (SMTPRecipientsRefused)
            code = getattr(error, "smtp_code", "")
            log.error("Could not send mail %s: %s %s", message["Message-ID"], type(error).__name__, code)
        return False


def send_mail_later(to: str, subject: str, body: str) -> None:
    """Send without making the request wait, so that how long a page takes
    tells nothing (portal/background.py). Tests send at once, to read the
    outbox straight after."""
    after_response(send_mail, to, subject, body)


def _write_to_outbox(message: EmailMessage, to: str) -> Path:
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    slug = re.sub(r"[^a-z0-9]+", "-", to.lower()).strip("-")[:60]
    path = outbox / f"{stamp}-{slug}.eml"
    path.write_bytes(message.as_bytes())
    return path
