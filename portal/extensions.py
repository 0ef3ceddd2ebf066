"""Extensions, created unbound here and bound to the app in ``create_app``."""

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers

from portal.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Only its decorator is used (a view's own policy); create_app gives each app its own Talisman.
talisman = Talisman()
wtforms_helpers = WTFormsHelpers()
compress = Compress()
