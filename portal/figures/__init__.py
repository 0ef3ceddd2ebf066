"""The portal's figures about young people's involvement, from its own data.

Two readers, one set of rules: the Chair's "This month in the portal" facts
(sentences to insert into the statement, ``facts.py``) and the Cabinet
Member's "Youth voice in numbers" (a table for an update's period, beside the
period before it, ``numbers.py``). Both count over a :class:`Period`
(``period.py``); where they tell the same thing (who joined, meetings and
events) the fact is built on the number's own aggregate. The public page
``/youth-voice`` shows the numbers for a period (``routes.py``): the source
a visitor can open for figures whose own records are not public.
"""

from flask import Blueprint

bp = Blueprint("figures", __name__, url_prefix="/youth-voice")

from portal.figures import routes  # noqa: E402,F401
