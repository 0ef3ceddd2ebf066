"""Two-step sign-in in the browser (#15): an officer sets it up with a code
generated here, signs out, signs in with a code, then with a recovery code
(which then no longer works); a Cabinet Member is made to set it up at their
next sign-in. axe on every state; nothing scrolls sideways on a phone."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from portal.demo.world import DEMO_PASSWORD
from tests.browser.helpers import assert_accessible, error_summary, screenshots, sign_out

ADULTS = ["officer", "cabinet_member", "partner"]


@pytest.fixture(scope="module", autouse=True)
def two_step_on(live_server):
    live_server.app.config["TWO_STEP_ROLES"] = list(ADULTS)


def password_step(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def wait_for_next_code(secret: str) -> str:
    """A code from a time step not used yet (each code works once)."""
    totp = pyotp.TOTP(secret)
    step = int(time.time()) // totp.interval
    while int(time.time()) // totp.interval == step:
        time.sleep(0.25)
    return totp.now()


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_an_officer_sets_up_signs_in_with_a_code_then_a_recovery_code(page: Page, new_context):
    password_step(page, "officer@demo.example")
    expect(page).to_have_url(re.compile(r"/account/two-step/set-up$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_accessible(page, "the set-up")
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    assert_accessible(page, "the set-up, with the key shown")

    # A wrong code: the message by the field, the summary focused.
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(error_summary(page)).to_contain_text("That code is not right")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "the set-up with a wrong code")

    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.locator(".portal-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, "the recovery codes")
    screenshots(page, "two-step-recovery-codes")
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    sign_out(page)

    # Signing in with a code from the app.
    password_step(page, "officer@demo.example")
    expect(page).to_have_url(re.compile(r"/sign-in/code$"))
    expect(page.get_by_text("Sign in: step 2 of 2")).to_be_visible()
    assert_accessible(page, "the code page")
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(error_summary(page)).to_contain_text("The code is 6 numbers")
    assert_accessible(page, "the code page with a short code")
    screenshots(page, "two-step-code-error")
    page.get_by_label("Code from your authenticator app").fill(wait_for_next_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    sign_out(page)

    # Signing in with a recovery code, which then no longer works.
    password_step(page, "officer@demo.example")
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a recovery code")
    assert_accessible(page, "the recovery code page")
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have 9 left")
    page.goto("/account")
    expect(page.get_by_text("You have 9 unused recovery codes")).to_be_visible()
    assert_accessible(page, "the account page with two-step sign-in on")
    sign_out(page)

    password_step(page, "officer@demo.example")
    page.get_by_role("link", name="Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(error_summary(page)).to_contain_text("has been used")
    expect(page.get_by_label("Recovery code")).to_have_value(codes[0])  # what was typed is kept
    assert_accessible(page, "the recovery code page, the code used")


def test_a_cabinet_member_is_made_to_set_it_up_at_their_next_sign_in(page: Page):
    page.set_viewport_size({"width": 320, "height": 700})
    password_step(page, "cabinet.member@demo.example")
    expect(page).to_have_url(re.compile(r"/account/two-step/set-up$"))
    expect(page.get_by_text("Sign in: one more step")).to_be_visible()
    expect(page.get_by_text("so it needs a second step after your password")).to_be_visible()
    # Not signed in on the password alone.
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    page.goto("/account/two-step/set-up")
    no_sideways_scroll(page)
    assert_accessible(page, "the required set-up on a phone")
    screenshots(page, "two-step-set-up-phone")


def test_young_people_go_straight_in(page: Page):
    password_step(page, "young.person@demo.example")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
