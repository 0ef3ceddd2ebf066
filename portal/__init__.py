"""The Youth Cabinet Portal: ``create_app()`` builds the Flask application."""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.templating import Environment
from flask_talisman import Talisman
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import build_config
from portal.database import configure_sqlite, ping_when_idle
from portal.extensions import compress, csrf, db, limiter, login_manager, migrate, wtforms_helpers

ROOT = Path(__file__).resolve().parent.parent

# Everything the portal serves comes from its own host: no CDN, no tracker.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


class PortalEnvironment(Environment):
    """Flask's Jinja environment, with templates reading the environment's
    globals directly. Jinja gives each template a ChainMap over them, and each
    ``{% import %}`` then compares the two sets of names key by key through
    it: about 6% of a question page's CPU (#16). Every global is set when the
    app is built and none is set per template, so one shared dict is the same."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return super().make_globals(d) if d else self.globals

    def get_template(
        self, name: Any, parent: str | None = None, globals: MutableMapping[str, Any] | None = None
    ) -> Any:
        # Jinja adds such globals to a cached template's own, which here are the app's.
        if globals:
            raise TypeError("The portal's templates share the app's globals: give values to render() instead")
        return super().get_template(name, parent)

    def select_template(
        self, names: Any, parent: str | None = None, globals: MutableMapping[str, Any] | None = None
    ) -> Any:
        if globals:
            raise TypeError("The portal's templates share the app's globals: give values to render() instead")
        return super().select_template(names, parent)


class Portal(Flask):
    jinja_environment = PortalEnvironment


def create_app(config: dict[str, object] | None = None) -> Flask:
    app = Portal(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(build_config(Path(app.instance_path), config))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Flask-Limiter's line about a limit hit names its key (an email address for
    # the per-account limits); the security log has the event without it.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)

    # Our templates first, then GOV.UK Frontend's macros under their own prefixes.
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from portal.converters import MonthConverter

    app.url_map.converters["month"] = MonthConverter
    _init_extensions(app)

    from portal import (
        aoi,
        auth,
        caching,
        campaigns,
        consultations,
        errors,
        figures,
        images,
        main,
        people,
        plan,
        recommendations,
        safeguarding,
        security_log,
        statements,
        updates,
    )
    from portal.cli import register_cli
    from portal.templating import register_template_helpers

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(statements.bp)
    app.register_blueprint(aoi.bp)
    app.register_blueprint(campaigns.bp)
    app.register_blueprint(plan.bp)
    app.register_blueprint(updates.bp)
    app.register_blueprint(consultations.bp)
    app.register_blueprint(safeguarding.bp)
    app.register_blueprint(figures.bp)
    app.register_blueprint(recommendations.bp)
    images.init_app(app)
    errors.register(app)
    security_log.init_app(app)
    from portal import tasks

    tasks.init_app(app)
    register_cli(app)
    register_template_helpers(app)

    hops = int(app.config["PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    # /static/ is answered before Flask (#16.4): no session, no cookie, and
    # hashed names kept a year (portal/assets.py).
    from portal.assets import static_files

    app.wsgi_app = static_files(app)  # type: ignore[method-assign]

    # Signed-in pages no-store; a visitor's page with nothing to send: no cookie, a short public cache.
    caching.register(app)

    return app


def _init_extensions(app: Flask) -> None:
    import portal.models  # noqa: F401  (registers the tables)

    # Pages and JSON go compressed (#16.4); static files come precompressed
    # from WhiteNoise. Streamed answers (the CSV and spreadsheet exports) go
    # as they are made, never held back to be compressed. Registered first,
    # so it runs after every other after_request hook.
    app.config.update(
        COMPRESS_MIMETYPES=[
            "text/html",
            "application/json",
            "image/svg+xml",
            "application/atom+xml",
            "text/css",
            "text/javascript",
        ],
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_STREAMS=False,
    )
    # Visitors' pages kept and served again (#16.4): before compress, so that its
    # after_request hook runs after compression and keeps the page as sent.
    from portal import page_cache

    page_cache.init_app(app)
    compress.init_app(app)
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine, int(app.config["SQLITE_BUSY_SECONDS"]))
        ping_when_idle(db.engine, float(app.config["DB_PING_AFTER_IDLE_SECONDS"]))
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    wtforms_helpers.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"

    production = app.config["ENV"] == "production"
    # An instance per app: Talisman keeps its settings on itself, so one shared
    # instance would give every app the settings of the last one built.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=production,
        session_cookie_secure=production,
        strict_transport_security=production,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="same-origin",
        frame_options="DENY",
    )

    from portal.auth.sessions import limit_sessions, load_user

    login_manager.user_loader(load_user)
    limit_sessions(app)
