"""The common-password list (#15, ASVS 6.2.4): a maintained list of at least
10,000 passwords, shipped in the repository, compared in lower case."""

from __future__ import annotations

import hashlib
import re

import pytest

from portal.auth.passwords import COMMON_PASSWORDS_LIST, TOO_COMMON, common_passwords, password_problem
from tests.conftest import link_in, outbox_messages

SOURCE_NOTE = COMMON_PASSWORDS_LIST.parent / "common_passwords_source.md"


def test_the_list_holds_at_least_10000_passwords():
    assert len(common_passwords()) >= 10_000


def test_the_shipped_file_is_the_one_its_note_describes():
    note = SOURCE_NOTE.read_text()
    match = re.search(r"SHA-256 of the file: `([0-9a-f]{64})`", note)
    assert match, "the note gives the file's SHA-256"
    assert hashlib.sha256(COMMON_PASSWORDS_LIST.read_bytes()).hexdigest() == match.group(1)
    assert "BSD" in note and "Django Software Foundation" in note  # the licence travels with the file


@pytest.mark.parametrize("password", ["baseball1", "BaseBall1", "BASEBALL1", "password123", "Youthcabinet"])
def test_common_passwords_are_refused_whatever_their_case(password):
    assert password_problem(password) == TOO_COMMON


def test_the_message_says_why():
    assert "because it is one of the most common passwords, which people try first" in TOO_COMMON


@pytest.mark.parametrize("password", ["correct horse battery", "baseball1 in the garden"])
def test_other_passwords_are_accepted(password):
    assert password_problem(password) is None


def test_the_reset_page_refuses_one(client, people, app):
    client.submit("/forgot-password", {"email": people["chair"].email})
    (mail,) = outbox_messages(app)
    response = client.submit(link_in(mail), {"password": "BaseBall1", "confirm": "BaseBall1"})
    assert response.status_code == 422
    assert "one of the most common passwords, which people try first" in response.get_data(as_text=True)
