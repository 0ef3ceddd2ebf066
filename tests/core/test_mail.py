"""Mail goes to a real SMTP server when one is configured, and to the outbox otherwise."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from portal.mail import send_mail
from tests.conftest import make_app, outbox_messages


class Collect(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_smtp_server_gets_the_mail(tmp_path, smtp_server):
    controller, handler = smtp_server
    app = make_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    with app.test_request_context():
        assert send_mail("someone@test.example", "Hello", "A link: http://localhost/x") is True
    (message,) = handler.messages
    assert message["To"] == "someone@test.example"
    assert message["Subject"] == "Hello"
    assert outbox_messages(app) == []


def test_unreachable_server_is_logged_not_raised(tmp_path, caplog):
    app = make_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    with app.test_request_context():
        assert send_mail("someone@test.example", "Hello", "body") is False
    assert "Could not send mail" in caplog.text


def test_no_server_means_the_outbox(tmp_path):
    app = make_app(tmp_path)
    with app.test_request_context():
        send_mail("someone@test.example", "Hello", "body")
    (message,) = outbox_messages(app)
    assert message["Subject"] == "Hello" and message.get_content().strip() == "body"
