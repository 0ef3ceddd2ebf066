"""Settings, read from environment variables that start with ``PORTAL_``.

Every setting has a development default so that ``make run`` works from a fresh
clone. Production (``PORTAL_ENV=production``) refuses to start without a real
secret key, or with the example safeguarding address.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

PREFIX = "PORTAL_"

# The seven districts of the demo council (West Sussex). Override with
# PORTAL_DISTRICTS='["Adur", "Arun", ...]'.
WEST_SUSSEX_DISTRICTS = [
    "Adur",
    "Arun",
    "Chichester",
    "Crawley",
    "Horsham",
    "Mid Sussex",
    "Worthing",
]

DEFAULTS: dict[str, object] = {
    "ENV": "development",
    "DATABASE_URL": None,  # SQLite under instance/ unless set
    # SQLite only: how long a writer waits for another's write to finish
    # (portal/database.py) before giving up with "database is locked".
    "SQLITE_BUSY_SECONDS": 30,
    # PostgreSQL only (#16): how long to wait for a connection, for one
    # statement, and for a lock, before giving up with a "try again" page
    # (503) instead of holding a worker while the database is away or stuck.
    # 0 turns a statement or lock limit off (for a long migration, say).
    "DB_CONNECT_TIMEOUT_SECONDS": 5,
    "DB_STATEMENT_TIMEOUT_MS": 15000,
    "DB_LOCK_TIMEOUT_MS": 5000,
    # A pooled connection unused for this long is tested before use, so the
    # portal carries on by itself once a database that was away is back
    # (portal/database.py: not on every request, which costs a round trip).
    "DB_PING_AFTER_IDLE_SECONDS": 10,
    "SECRET_KEY": None,
    "BASE_URL": "http://127.0.0.1:5000",
    # Mail: with no MAIL_SERVER, mail goes to the log and to instance/outbox/.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_FROM": "Youth Cabinet Portal <no-reply@youthcabinet.example>",
    # The council's own words (demo default: the West Sussex seed report).
    "COUNCIL_NAME": "West Sussex County Council",
    "YOUTH_CABINET_NAME": "West Sussex Youth Cabinet",
    "CHAIR_TITLE": "Chair of West Sussex Youth Cabinet",
    "CABINET_MEMBER_TITLE": "Cabinet Member for Children and Young People",
    "REPORT_HEADING": "Children First Service Improvement Programme: Progress Report",
    # The designated safeguarding lead's address: every report is emailed there.
    # Production refuses to start with this example address (see concern_email_for).
    "CONCERN_EMAIL": "safeguarding@council.example",
    "CONCERN_PHONE": "01234 567890",
    "DISTRICTS": WEST_SUSSEX_DISTRICTS,
    # The Chair's monthly statement.
    "YOUTH_PORTFOLIO": "Children and Young People",  # its holder reviews the statement
    "STATEMENT_WORDS_MIN": 150,
    "STATEMENT_WORDS_MAX": 350,
    "STATEMENT_MAX_CHARS": 20000,
    # Consultation requests (#15.9): whoever drafted a request (created it, or
    # last sent it for approval) cannot approve it; another officer or the
    # Chair must. PORTAL_CONSULTATION_SEPARATION_OF_DUTIES=false turns it off.
    "CONSULTATION_SEPARATION_OF_DUTIES": True,
    # Security and limits.
    "RATELIMIT_STORAGE_URI": "memory://",
    # The background jobs' queue (portal/tasks.py): unset, an SQLite file in
    # instance/ (``make run`` starts its worker); redis://... in production.
    "TASKS_URL": "",
    # Visitors' pages with nothing to send, kept this many seconds and served
    # again without being made (portal/page_cache.py): -1 is 60 in production
    # and 0 (off) elsewhere. PAGE_CACHE_URL: redis://... shares them between
    # workers; unset, each worker keeps its own.
    "PAGE_CACHE_SECONDS": -1,
    "PAGE_CACHE_URL": "",
    # "This month in the portal" facts offered in the Chair's editor
    # (portal/figures/facts.py), kept this long in each worker: -1 is 60 in
    # production and 0 (made on every request) elsewhere.
    "FACTS_CACHE_SECONDS": -1,
    # Reminders (portal/reminders.py, every morning): "You said, we did" this
    # many days after a consultation closed; the Chair's statement from this
    # day of the month.
    "FEEDBACK_REMINDER_DAYS": 14,
    "STATEMENT_REMINDER_DAY": 20,
    # A whole school shares one public address: a class of 35 signing in (with
    # typing mistakes), several classes at once, or a year group of 200
    # answering a public consultation in one lesson must not be refused. Guessing
    # one account's password is stopped by the per-account limit, which stays tight.
    "SIGN_IN_LIMIT_PER_ADDRESS": "300 per 15 minutes",
    "SIGN_IN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
    "VISITOR_START_LIMIT": "400 per hour",
    # Two-step sign-in (#15, ASVS 6.3.3): these roles give a code from an
    # authenticator app (or a recovery code) after their password, and set it
    # up at their first sign-in once their role is listed. Young people are
    # never asked. Add "chair" to ask the Youth Cabinet's Chair too:
    # PORTAL_TWO_STEP_ROLES='["officer", "cabinet_member", "partner", "chair"]'.
    "TWO_STEP_ROLES": ["officer", "cabinet_member", "partner"],
    # "Remember this device": days without the code on that browser (0: never remember).
    "TWO_STEP_REMEMBER_DAYS": 30,
    # Codes tried for one account (a 6-digit code is 1 in a million a try).
    "TWO_STEP_CODE_LIMIT": "10 per 15 minutes",
    # Safeguarding reports sent from one address ("Report a concern" and "Report
    # this" together): a class reporting the same unkind post from one school
    # is not refused; a script sending hundreds is.
    "REPORT_LIMIT_PER_ADDRESS": "30 per hour",
    # Invitation emails (new ones and "Send the invitation again"): per officer,
    # and per address, so that nobody's mailbox can be flooded from the portal.
    "INVITATION_LIMIT_PER_OFFICER": "10 per hour",
    "INVITATION_LIMIT_PER_ADDRESS": "3 per day",
    "RESEND_LIMIT_PER_ADDRESS": "3 per hour",
    # How many proxies stand in front of the portal (1 behind nginx): the
    # rate limits then see each person's own address, not the proxy's.
    "PROXY_HOPS": 0,
    # A signed-in session ends after this long without a request, and always
    # this long after signing in, however busy (ASVS 3.3.2, level 2: 30 minutes
    # idle, 12 hours in all). Adults (officers, Cabinet Members, partners) see
    # and change other people's data: ASVS's 30 minutes. Young people's accounts
    # (the Chair's too) hold little beyond their own few details, and they read
    # and type more slowly, with lessons in between: 2 hours, so that nobody is
    # signed out in the middle of an answer or the statement. 12 hours covers a
    # school day and an evening; a copied cookie is then useless.
    "SESSION_IDLE_MINUTES_ADULTS": 30,
    "SESSION_IDLE_MINUTES_YOUNG_PEOPLE": 120,
    "SESSION_MAX_AGE_HOURS": 12,
    # The warning before either limit (WCAG 2.2.1 Timing Adjustable asks for at
    # least 20 seconds to act): a dialog this long before the end, with "Stay
    # signed in" for the idle limit (static/js/session-timeout.mjs). Keep it
    # well under the idle limits.
    "SESSION_WARN_SECONDS": 120,
    "INVITATION_MAX_AGE_DAYS": 7,
    "RESET_MAX_AGE_HOURS": 24,
    # Retention (#13.3): how long personal data is kept, applied by `flask
    # retention run` (nightly in production) and stated in the privacy notice
    # from these same numbers. Days.
    # Answers never sent (and changes to sent answers never sent) go this long
    # after the consultation closed: they are never counted, and a month
    # leaves time for a question about a consultation that has just closed.
    "RETENTION_UNSENT_RESPONSE_DAYS": 30,
    # A visitor's way back to their answers (a hashed token) goes this long
    # after the consultation closed: after closing nobody can change answers.
    "RETENTION_VISITOR_TOKEN_DAYS": 0,
    # A deactivated account is deleted (portal/people/erasure.py) this long
    # after it was deactivated: a year covers someone coming back to the Youth
    # Cabinet the next school year. Officers' accounts are not deleted this way.
    "RETENTION_DEACTIVATED_ACCOUNT_DAYS": 365,
    # Audit entries older than this lose their details (and, for what people
    # did for themselves, like signing in or sending answers, who did it); what
    # was done, when, and which staff decision it was stay.
    "RETENTION_AUDIT_PERSONAL_DAYS": 730,
    # Mail files in the outbox folder (only written when no mail server is set).
    "RETENTION_OUTBOX_DAYS": 30,
    # Spreadsheets of responses made on the queue: downloaded within a day.
    "RETENTION_EXPORT_HOURS": 24,
    # Dashboard notifications, from when they were made: read ones, and unread ones.
    "RETENTION_NOTIFICATION_DAYS": 180,
    "RETENTION_UNREAD_NOTIFICATION_DAYS": 365,
    # Rows changed per transaction, so that a county-sized table is never locked for long.
    "RETENTION_BATCH_SIZE": 1000,
}


def _parse(raw: str, default: object) -> object:
    """Read an environment string as the type of its default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, list):
        value = json.loads(raw)
        if not isinstance(value, list):
            raise ValueError(f"{PREFIX}DISTRICTS must be a JSON list")
        return value
    return raw


def settings_from_env(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, object]:
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for key, default in DEFAULTS.items():
        raw = environ.get(PREFIX + key)
        values[key] = default if raw is None or raw == "" else _parse(raw, default)
    return values


def secret_key_for(instance_path: Path, env: str, configured: object) -> str:
    """The secret key: configured, or generated once into instance/ outside production."""
    if configured:
        return str(configured)
    if env == "production":
        raise RuntimeError(
            "PORTAL_SECRET_KEY is not set. The portal will not start in production "
            "without a secret key (generate one with: python -c 'import secrets; "
            "print(secrets.token_hex(32))')."
        )
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# Names that can never be a real mailbox (RFC 2606, RFC 6761): the example
# default, and what someone might copy from the README.
RESERVED_TOP_LEVEL = {"example", "invalid", "test", "localhost"}
RESERVED_DOMAINS = {"example.com", "example.org", "example.net"}


def _is_example_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    domain = domain.lower().rstrip(".")
    if not (local and at and "." in domain):
        return True
    return domain.rsplit(".", 1)[1] in RESERVED_TOP_LEVEL or any(
        domain == name or domain.endswith("." + name) for name in RESERVED_DOMAINS
    )


def concern_email_for(env: str, configured: object) -> str:
    """The safeguarding lead's address. In production it must be a real one:
    reports from young people must never go to an example address."""
    address = str(configured or "").strip()
    if env == "production" and _is_example_address(address):
        raise RuntimeError(
            "PORTAL_CONCERN_EMAIL is not set to a real address. The portal will not start in production "
            "without the designated safeguarding lead's email address: every safeguarding report is sent there."
        )
    return address


def engine_options(database_url: str, settings: dict[str, object], production: bool) -> dict[str, object]:
    """SQLAlchemy's engine options (idle connections are tested before use:
    ``portal.database.ping_when_idle``). On
    PostgreSQL a connection, a statement and a wait for a lock each have a
    time limit: past it the person gets the "service unavailable" page."""
    # In production a database error's message (logged) leaves out the
    # statement's values: they can be personal data (an email address).
    options: dict[str, object] = {"hide_parameters": production}
    if make_url(database_url).get_backend_name() == "postgresql":
        connect, statement, lock = (
            int(str(settings[key]))
            for key in ("DB_CONNECT_TIMEOUT_SECONDS", "DB_STATEMENT_TIMEOUT_MS", "DB_LOCK_TIMEOUT_MS")
        )
        options["connect_args"] = {
            "connect_timeout": connect,
            "options": f"-c statement_timeout={statement} -c lock_timeout={lock}",
        }
    return options


def build_config(instance_path: Path, overrides: dict[str, object] | None = None) -> dict[str, object]:
    """All Flask settings: environment first, then explicit overrides (tests)."""
    settings = settings_from_env()
    if overrides:
        settings.update({k: v for k, v in overrides.items() if k in DEFAULTS})
    env = str(settings["ENV"])
    production = env == "production"
    database_url = settings["DATABASE_URL"] or f"sqlite:///{instance_path / 'portal.db'}"
    config: dict[str, object] = {
        **settings,
        "SECRET_KEY": secret_key_for(instance_path, env, settings["SECRET_KEY"]),
        "CONCERN_EMAIL": concern_email_for(env, settings["CONCERN_EMAIL"]),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(str(database_url), settings, production),
        "TESTING": env == "testing",
        # In production the cookies carry the __Host- prefix: the browser then
        # takes them only when Secure, for Path=/ and with no Domain, so no
        # other host (a sibling subdomain) can set or overwrite them (ASVS 3.3.1).
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        # Flask-Login's "remember me" cookie is never set (no "remember me"), but
        # should it ever be, the same rules hold.
        "REMEMBER_COOKIE_NAME": "__Host-remember" if production else "remember_token",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_PATH": "/",
        "REMEMBER_COOKIE_DOMAIN": None,
        # Redis away (#16): the limits go on, counted in this process's memory
        # (Flask-Limiter logs "falling back to in-memory storage"), and go back
        # to Redis once it answers; any other error of the limiter is logged and
        # the request goes through, never a 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "OUTBOX_DIR": str(instance_path / "outbox"),
        "PASSWORD_HASH_FAST": env == "testing",
        # Background jobs (portal/tasks.py) run at once, in the request, in tests.
        "BACKGROUND_INLINE": env == "testing",
    }
    for key in ("PAGE_CACHE_SECONDS", "FACTS_CACHE_SECONDS"):
        if int(config[key]) < 0:  # type: ignore[call-overload]
            config[key] = 60 if production else 0
    if overrides:
        config.update({k: v for k, v in overrides.items() if k not in DEFAULTS})
    return config
