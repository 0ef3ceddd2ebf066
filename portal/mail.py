"""Sending email. With no SMTP server configured, mail goes to the log and to
``instance/outbox/`` so that someone running the portal locally can follow an
invitation or reset link."""

from __future__ import annotations

import logging
import re
import smtplib
import threading
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

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

    if not config["MAIL_SERVER"]:
        path = _write_to_outbox(message, to)
        if config["ENV"] == "development":
            log.info("Mail to %s (no MAIL_SERVER set, kept in %s): %s\n%s", to, path, subject, body)
        else:  # links in mails are secrets: never in a production log
            log.warning("Mail to %s kept in %s: no PORTAL_MAIL_SERVER is set", to, path)
        return True
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send mail to %s: %s", to, subject)
        return False


def send_mail_later(to: str, subject: str, body: str) -> None:
    """Send without making the request wait, so that how long a page takes
    tells nothing (forgot password answers at once for known and unknown
    emails alike). Tests send at once, to read the outbox straight after."""
    if current_app.config["TESTING"]:
        send_mail(to, subject, body)
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            send_mail(to, subject, body)

    threading.Thread(target=send, name="portal-mail", daemon=True).start()


def _write_to_outbox(message: EmailMessage, to: str) -> Path:
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    slug = re.sub(r"[^a-z0-9]+", "-", to.lower()).strip("-")[:60]
    path = outbox / f"{stamp}-{slug}.eml"
    path.write_bytes(message.as_bytes())
    return path
