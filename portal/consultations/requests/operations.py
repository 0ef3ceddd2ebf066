"""Consultation requests: the rules for drafting, copying, the questions,
submitting and reviewing. Each operation checks its rule, records an audit
entry and commits; a refusal is a ``ConsultationError`` naming the field it
concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, url_for
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import joinedload

from portal.audit import record
from portal.extensions import db
from portal.images import Accepted, ImageRefused, accept_upload, keep
from portal.lookup import rows_changed
from portal.models import AuditEntry, Consultation, ConsultationStatus, Image, Question, User
from portal.models.base import utcnow
from portal.models.consultation import AUDIENCES, OPTION_KINDS, QUESTION_KINDS
from portal.notifications import deliver, notify
from portal.roles import Role
from portal.rules import RuleError
from portal.templating import long_date

MAX_QUESTIONS = 50
OPTIONS_MIN, OPTIONS_MAX = 2, 12
OPTION_MAX_CHARS = 200
SCALE_MIN, SCALE_MAX = 2, 10
COMMENT_MAX = 2000
ALT_MAX = 250  # Question.image_alt, and an option picture's words
# The kinds whose options may be pictures: the ones answered by ticking a box or a radio.
PICTURE_KINDS = ("single", "multiple")
CHOOSE_AGAIN = "Choose the picture again"


class ConsultationError(RuleError):
    """A refusal, in words for the person who asked; ``field`` is where to show it."""


class StaleRequest(ConsultationError):
    """The details were saved somewhere else (another tab, another person) since this form was opened."""

    def __init__(self) -> None:
        super().__init__(
            "Someone saved this request after you opened this page, perhaps in another tab. Your changes are not saved "
            "yet: they are still in the boxes. Check them, then save again to keep yours.",
            "stale",
        )


@dataclass(frozen=True)
class Problem:
    """One thing to put right before a request can be sent, and where (an id on the edit page)."""

    message: str
    anchor: str


class NotReady(ConsultationError):
    """Submitting refused: every problem at once, so they can all be put right."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message, "submit")
        self.problems = problems


# ---------------------------------------------------------------- reading


def questions_of(consultation: Consultation) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.consultation_id == consultation.id).order_by(Question.position, Question.id)
        )
    )


def active_partners() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.active, User.role == Role.PARTNER.value)
            .order_by(User.organisation, User.display_name)
        )
    )


def _reviewers() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.active, User.role.in_([Role.OFFICER.value, Role.CHAIR.value])).order_by(User.id)
        )
    )


# ---------------------------------------------------------------- the details


@dataclass(frozen=True)
class RequestDetails:
    title: str
    organisation: str
    why: str
    what_happens: str
    opens_on: date | None
    closes_on: date | None
    audience: str
    anonymous_to_partner: bool
    partner_id: int | None = None  # chosen by an officer; a partner is always their own


def check_editable(consultation: Consultation) -> None:
    """Drafts and returned requests change; one waiting for approval, or approved, does not."""
    if not consultation.state.editable:
        raise ConsultationError(
            "This request has been sent for approval, so it cannot be changed now."
            if consultation.state == ConsultationStatus.SUBMITTED
            else "This consultation is approved, so it cannot be changed now. Ask an officer if something must change."
        )


def _check_details(details: RequestDetails) -> None:
    if not details.title:
        raise ConsultationError("Enter a title for the consultation", "title")
    if details.audience not in AUDIENCES:
        raise ConsultationError("Choose who can answer from the list", "audience")
    if details.opens_on and details.closes_on and details.closes_on < details.opens_on:
        raise ConsultationError("The closing date must be on or after the opening date", "closes_on")


def _partner_for(actor: User, details: RequestDetails, current: int | None) -> int | None:
    """A partner asks for themselves; an officer chooses an active partner account (or none)."""
    if actor.role == Role.PARTNER:
        return actor.id
    if details.partner_id is None or details.partner_id == current:
        return details.partner_id
    partner = db.session.get(User, details.partner_id)
    if partner is None or not partner.active or partner.role != Role.PARTNER:
        raise ConsultationError("Choose a partner from the list", "partner")
    return partner.id


def _apply(consultation: Consultation, details: RequestDetails) -> None:
    consultation.title = details.title
    consultation.organisation = details.organisation
    consultation.why = details.why
    consultation.what_happens = details.what_happens
    consultation.opens_on = details.opens_on
    consultation.closes_on = details.closes_on
    consultation.audience = details.audience
    consultation.anonymous_to_partner = details.anonymous_to_partner
    consultation.updated_at = utcnow()


def create(actor: User, details: RequestDetails) -> Consultation:
    """A partner drafts a request for themselves; an officer drafts one for a partner (or the council)."""
    _check_details(details)
    consultation = Consultation(
        partner_id=_partner_for(actor, details, None),
        created_by_id=actor.id,
        status=ConsultationStatus.DRAFT.value,
        version=1,
    )
    _apply(consultation, details)
    db.session.add(consultation)
    db.session.flush()
    record(actor, "consultation.drafted", "consultation", consultation.id, details.title)
    db.session.commit()
    return consultation


def save_details(actor: User, consultation: Consultation, details: RequestDetails, base_version: int | None) -> None:
    """Only while a draft or returned; refused (StaleRequest) when saved elsewhere since the form was opened."""
    check_editable(consultation)
    if base_version != consultation.version:
        raise StaleRequest()
    _check_details(details)
    consultation.partner_id = _partner_for(actor, details, consultation.partner_id)
    _apply(consultation, details)
    consultation.version += 1
    record(actor, "consultation.changed", "consultation", consultation.id, details.title)
    db.session.commit()


# ---------------------------------------------------------------- starting from a copy


TITLE_MAX = 200  # Consultation.title


def copyable(actor: User) -> Select:
    """The requests this person may start a new one from, the latest first: a
    partner's own; any, for an officer (officers draft for every partner)."""
    query = (
        select(Consultation)
        .options(joinedload(Consultation.partner))
        .order_by(Consultation.updated_at.desc(), Consultation.id.desc())
    )
    if actor.role == Role.PARTNER:
        query = query.where(Consultation.partner_id == actor.id)
    return query


def has_copyable(actor: User) -> bool:
    """Whether there is an earlier request to copy (one query)."""
    query = select(Consultation.id)
    if actor.role == Role.PARTNER:
        query = query.where(Consultation.partner_id == actor.id)
    return bool(db.session.scalar(select(query.exists())))


def _still_a_partner(partner_id: int | None) -> int | None:
    partner = db.session.get(User, partner_id) if partner_id else None
    return partner.id if partner is not None and partner.active and partner.role == Role.PARTNER else None


def copy(actor: User, source: Consultation) -> Consultation:
    """A new draft that starts as a copy of an earlier request: its words,
    audience, anonymity, partner and questions (with their options), titled
    "Copy of ...". Never its dates, state, review, answers, results or "You
    said, we did": those belong to the consultation that ran. The caller has
    checked that the request is this person's to copy."""
    title = f"Copy of {source.title or 'an untitled request'}"
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    consultation = Consultation(
        partner_id=actor.id if actor.role == Role.PARTNER else _still_a_partner(source.partner_id),
        created_by_id=actor.id,
        status=ConsultationStatus.DRAFT.value,
        version=1,
    )
    _apply(
        consultation,
        RequestDetails(
            title=title,
            organisation=source.organisation,
            why=source.why,
            what_happens=source.what_happens,
            opens_on=None,
            closes_on=None,
            audience=source.audience,
            anonymous_to_partner=source.anonymous_to_partner,
        ),
    )
    consultation.easy_intro = source.easy_intro
    db.session.add(consultation)
    db.session.flush()
    db.session.add_all(
        Question(
            consultation_id=consultation.id,
            position=position,
            kind=question.kind,
            prompt=question.prompt,
            help=question.help,
            required=question.required,
            options=list(question.options or []),
            scale_max=question.scale_max,
            low_label=question.low_label,
            high_label=question.high_label,
            image_id=_copy_picture(actor, consultation, question.image_id),
            image_alt=question.image_alt,
            option_images=[
                picture and {"image": _copy_picture(actor, consultation, picture["image"]), "alt": picture["alt"]}
                for picture in question.option_images or []
            ],
            # Its Easy Read version too (#17.3).
            easy_prompt=question.easy_prompt,
            easy_help=question.easy_help,
            easy_image_id=_copy_picture(actor, consultation, question.easy_image_id),
            easy_image_alt=question.easy_image_alt,
        )
        for position, question in enumerate(questions_of(source), start=1)
    )
    record(actor, "consultation.copied", "consultation", consultation.id, f"From request {source.id}: {source.title}")
    db.session.commit()
    return consultation


def _copy_picture(actor: User, consultation: Consultation, image_id: int | None) -> int | None:
    """A picture belongs to one consultation: the copy gets its own."""
    image = db.session.get(Image, image_id) if image_id else None
    if image is None:
        return None
    accepted = Accepted(image.data, image.content_type, image.width, image.height)
    return keep(actor, consultation, accepted).id


# ---------------------------------------------------------------- the questions


@dataclass(frozen=True)
class PictureChoice:
    """What the form says about one picture: a file chosen now (or None), the
    words describing it, and whether to remove the one there is."""

    upload: Any = None
    alt: str = ""
    remove: bool = False
    # An option's row: the option's words when the form was drawn, so that a
    # row's choices follow its option when the options are moved in the same save.
    was: str = ""

    @property
    def chosen(self) -> bool:
        return self.upload is not None and bool(getattr(self.upload, "filename", ""))


@dataclass(frozen=True)
class QuestionValues:
    prompt: str
    help: str
    required: bool
    options_text: str = ""
    scale_max: str = "5"
    low_label: str = ""
    high_label: str = ""
    picture: PictureChoice = field(default_factory=PictureChoice)
    # One for each option, in the order of the options as typed.
    option_pictures: tuple[PictureChoice, ...] = ()


def _renumber(questions: list[Question]) -> None:
    for position, question in enumerate(questions, start=1):
        question.position = position


def parse_options(text: str) -> list[str]:
    """One option a line. Blank lines are left out; the rest must be different from each other."""
    options = [" ".join(line.split()) for line in (text or "").splitlines()]
    options = [option for option in options if option]
    seen: dict[str, str] = {}
    for option in options:
        if len(option) > OPTION_MAX_CHARS:
            raise ConsultationError(
                f"Each option must be {OPTION_MAX_CHARS} characters or fewer. “{option[:30]}…” is longer", "options"
            )
        key = option.casefold()
        if key in seen:
            raise ConsultationError(f"Each option must be different: “{option}” is there twice", "options")
        seen[key] = option
    if len(options) < OPTIONS_MIN:
        raise ConsultationError(f"Enter at least {OPTIONS_MIN} options, one on each line", "options")
    if len(options) > OPTIONS_MAX:
        raise ConsultationError(
            f"Enter {OPTIONS_MAX} options or fewer (you entered {len(options)}). Fewer choices are easier to answer",
            "options",
        )
    return options


def parse_scale(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not SCALE_MIN <= number <= SCALE_MAX:
        raise ConsultationError(f"Choose how many points the scale has, from {SCALE_MIN} to {SCALE_MAX}", "scale_max")
    return number


def add_question(actor: User, consultation: Consultation, kind: str) -> Question:
    """A new question of a known kind, at the end; at most MAX_QUESTIONS."""
    check_editable(consultation)
    if kind not in QUESTION_KINDS:
        raise ConsultationError("Choose what kind of question to add", "kind")
    count = db.session.scalar(select(func.count(Question.id)).where(Question.consultation_id == consultation.id)) or 0
    if count >= MAX_QUESTIONS:
        raise ConsultationError(
            f"A consultation can have up to {MAX_QUESTIONS} questions. Remove one before adding another", "kind"
        )
    question = Question(
        consultation_id=consultation.id,
        position=count + 1,
        kind=kind,
        prompt="",
        help="",
        required=False,
        options=[],
        scale_max=5,
        low_label="",
        high_label="",
    )
    db.session.add(question)
    db.session.flush()
    _renumber(questions_of(consultation))
    record(actor, "consultation.question_added", "consultation", consultation.id, QUESTION_KINDS[kind])
    db.session.commit()
    return question


def save_question(actor: User, consultation: Consultation, question: Question, values: QuestionValues) -> None:
    """The question's words, and its options or scale as its kind needs; a
    picture with words describing it, for the question and (choices) each
    option. Every upload is checked before anything is stored: one refused
    file, or a picture without words, stores nothing."""
    check_editable(consultation)
    if not values.prompt:
        raise ConsultationError("Enter the question", "prompt")
    options: list[str] = []
    scale, low, high = 5, "", ""
    if question.kind in OPTION_KINDS:
        options = parse_options(values.options_text)
    elif question.kind == "rating":
        scale = parse_scale(values.scale_max)
        if not values.low_label:
            raise ConsultationError("Enter the words for the lowest point, like “Not at all”", "low_label")
        if not values.high_label:
            raise ConsultationError("Enter the words for the highest point, like “Very much”", "high_label")
        low, high = values.low_label, values.high_label
    problems: list[ConsultationError] = []
    picture = _picture(question.image_id, values.picture, "picture", "picture_alt", "the picture", problems)
    option_pictures = _option_pictures(question, options, values.option_pictures, problems)
    if problems:
        raise PictureProblems(problems)
    # Everything is checked: only now is a new picture stored.
    question.image_id, question.image_alt = _kept(actor, consultation, picture)
    option_images: list[dict | None] = []
    for plan in option_pictures:
        image_id, alt = _kept(actor, consultation, plan)
        option_images.append({"image": image_id, "alt": alt} if image_id else None)
    question.option_images = option_images  # a new list: JSON columns do not see changes made in place
    question.prompt = values.prompt
    question.help = values.help
    question.required = values.required
    question.options = options
    question.scale_max = scale
    question.low_label = low
    question.high_label = high
    consultation.updated_at = utcnow()
    record(actor, "consultation.question_changed", "consultation", consultation.id, values.prompt)
    db.session.commit()


@dataclass(frozen=True)
class PicturePlan:
    """What becomes of one picture: a checked upload to keep, or the picture
    already there (``current``), or none; with its words."""

    new: Accepted | None = None
    current: int | None = None
    alt: str = ""


class PictureProblems(ConsultationError):
    """Every picture problem of a question form at once, each for its own field."""

    def __init__(self, problems: list[ConsultationError]):
        super().__init__(problems[0].message, problems[0].field)
        self.problems = problems


def _picture(
    current: int | None,
    choice: PictureChoice,
    file_field: str,
    alt_field: str,
    what: str,
    problems: list | None = None,
) -> PicturePlan:
    """Checks one picture without storing anything: the upload (from its
    content, portal/images), and the words every picture needs. What is
    wrong is added to ``problems``; without a list, it is raised (all of it,
    as PictureProblems)."""
    if problems is None:
        found: list[ConsultationError] = []
        plan = _picture(current, choice, file_field, alt_field, what, found)
        if found:
            raise PictureProblems(found)
        return plan
    if choice.remove and not choice.chosen:
        return PicturePlan()
    new = None
    if choice.chosen:
        try:
            new = accept_upload(choice.upload)
        except ImageRefused as refused:
            problems.append(ConsultationError(f"{refused.message}.", file_field))
    elif current is None:
        if choice.alt:
            problems.append(
                ConsultationError(f"Choose {what} to go with the words you wrote, or delete the words", file_field)
            )
        return PicturePlan()
    if not choice.alt:
        problems.append(ConsultationError(f"Describe {what} in words, for people who cannot see it", alt_field))
    return PicturePlan(new, None if new else current, choice.alt)


def _option_pictures(
    question: Question, options: list[str], choices: tuple[PictureChoice, ...], problems: list
) -> list[PicturePlan]:
    """A plan for each option of a choice question. A picture stays with its
    option's words when options are moved, added or removed."""
    if question.kind not in PICTURE_KINDS:
        return []
    before = {
        option.casefold(): picture["image"]
        for index, option in enumerate(question.options or [])
        for picture in [question.option_image(index)]
        if picture
    }
    by_row = {choice.was.strip().casefold(): choice for choice in choices if choice.was.strip()}

    def choice_for(index: int, option: str) -> PictureChoice:
        if by_row:  # the rows say which option they were drawn for
            return by_row.get(option.casefold(), PictureChoice())
        return choices[index] if index < len(choices) else PictureChoice()

    return [
        _picture(
            before.get(option.casefold()),
            choice_for(index, option),
            f"option_picture_{index}",
            f"option_alt_{index}",
            f"the picture for option {index + 1}",
            problems,
        )
        for index, option in enumerate(options)
    ]


def _kept(actor: User, consultation: Consultation, plan: PicturePlan) -> tuple[int | None, str]:
    """The picture's id once kept (a new one is stored now), and its words."""
    if plan.new is not None:
        return keep(actor, consultation, plan.new).id, plan.alt
    return plan.current, plan.alt if plan.current else ""


def move_question(actor: User, consultation: Consultation, question: Question, direction: str) -> None:
    """Up or down by one place; the positions are numbered again from 1."""
    check_editable(consultation)
    if direction not in ("up", "down"):
        raise ConsultationError("Choose up or down")
    questions = questions_of(consultation)
    place = next(i for i, q in enumerate(questions) if q.id == question.id)
    step = -1 if direction == "up" else 1
    if not 0 <= place + step < len(questions):
        raise ConsultationError(
            "This question is already the first one." if direction == "up" else "This question is already the last one."
        )
    questions[place], questions[place + step] = questions[place + step], questions[place]
    _renumber(questions)
    consultation.updated_at = utcnow()
    record(actor, "consultation.question_moved", "consultation", consultation.id, f"{question.prompt} {direction}")
    db.session.commit()


def delete_question(actor: User, consultation: Consultation, question: Question) -> None:
    check_editable(consultation)
    summary = question.prompt or QUESTION_KINDS.get(question.kind, question.kind)
    db.session.delete(question)
    db.session.flush()
    _renumber(questions_of(consultation))
    consultation.updated_at = utcnow()
    record(actor, "consultation.question_removed", "consultation", consultation.id, summary)
    db.session.commit()


# ---------------------------------------------------------------- sending and reviewing


def problems(consultation: Consultation, questions: list[Question], today: date) -> list[Problem]:  # noqa: C901 (written before the limit of 10)
    """What must be put right before the request can go for approval (empty when it is ready)."""
    found = []
    for name, message in (
        ("title", "Enter a title for the consultation"),
        ("organisation", "Enter the name of the organisation that is asking"),
        ("why", "Say why you are asking"),
        ("what_happens", "Say what will happen with the answers"),
    ):
        if not getattr(consultation, name).strip():
            found.append(Problem(message, name))
    if consultation.opens_on is None:
        found.append(Problem("Enter the date the consultation opens", "opens_on"))
    elif consultation.opens_on < today:
        found.append(Problem("The opening date is in the past. Choose today or a later date", "opens_on"))
    if consultation.closes_on is None:
        found.append(Problem("Enter the date the consultation closes", "closes_on"))
    elif consultation.opens_on and consultation.closes_on < consultation.opens_on:
        found.append(Problem("The closing date must be on or after the opening date", "closes_on"))
    if not questions:
        found.append(Problem("Add at least one question", "questions"))
    for number, question in enumerate(questions, start=1):
        anchor = f"q{question.id}"
        if not question.prompt.strip():
            found.append(Problem(f"Question {number} has no words yet. Change it to write the question", anchor))
        elif question.kind in OPTION_KINDS and len(question.options) < OPTIONS_MIN:
            found.append(Problem(f"Question {number} needs at least {OPTIONS_MIN} options", anchor))
        elif question.kind == "rating" and not (question.low_label and question.high_label):
            found.append(Problem(f"Question {number} needs words for both ends of its scale", anchor))
    return found


def _change_status(consultation: Consultation, expected: tuple[ConsultationStatus, ...], **values) -> None:
    """Change the status only if it is still what the page showed: two reviewers at
    once, or a second tab, cannot both act on the same request."""
    changed = rows_changed(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.status.in_([s.value for s in expected]))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        db.session.rollback()
        raise ConsultationError("This request was changed by someone else meanwhile. Look at it again below.")
    db.session.expire(consultation)


def separation_of_duties() -> bool:
    return bool(current_app.config.get("CONSULTATION_SEPARATION_OF_DUTIES", True))


def drafters(consultation: Consultation) -> set[int]:
    """Who drafted the request: whoever created it, and whoever last sent it
    for approval (the audit log's latest "consultation.submitted" for it, read
    from the newest entry back: for a request waiting now, it is near)."""
    last = db.session.scalar(
        select(AuditEntry.actor_id)
        .where(
            AuditEntry.action == "consultation.submitted",
            AuditEntry.subject_type == "consultation",
            AuditEntry.subject_id == consultation.id,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return {person for person in (consultation.created_by_id, last) if person is not None}


def may_approve(user: User, consultation: Consultation) -> bool:
    """Separation of duties (CONSULTATION_SEPARATION_OF_DUTIES, on unless
    turned off): nobody approves a request they drafted; another officer or
    the Chair must."""
    return not separation_of_duties() or user.id not in drafters(consultation)


NOT_YOURS_TO_APPROVE = (
    "You wrote or sent this request, so someone else must approve it: another officer or the Chair. "
    "You can still return it with comments if something needs to change."
)


def submit(actor: User, consultation: Consultation, today: date) -> None:
    """The owner sends a complete request; the officers and the Chair who may approve it are told."""
    check_editable(consultation)
    found = problems(consultation, questions_of(consultation), today)
    if found:
        raise NotReady(found)
    title = consultation.title
    # Not told: whoever sends it, nor (while duties are separated) whoever created it: neither may approve it.
    drafted = {actor.id} | ({consultation.created_by_id} if separation_of_duties() else set())
    _change_status(
        consultation, (ConsultationStatus.DRAFT, ConsultationStatus.RETURNED), status=ConsultationStatus.SUBMITTED.value
    )
    mails = notify(
        [person for person in _reviewers() if person.id not in drafted],
        f"A consultation request is waiting for approval: “{title}”.",
        url_for("consultations.show", consultation_id=consultation.id),
        "A consultation request is waiting for approval",
    )
    record(actor, "consultation.submitted", "consultation", consultation.id, title)
    db.session.commit()
    deliver(mails)


def _tell_the_asker(actor: User, consultation: Consultation, message: str, subject: str) -> list:
    """The partner it is for; a request an officer drafted for nobody goes back to that officer."""
    person_id = consultation.partner_id or consultation.created_by_id
    person = db.session.get(User, person_id) if person_id else None
    if person is None or person.id == actor.id:
        return []
    return notify([person], message, url_for("consultations.show", consultation_id=consultation.id), subject)


def approve(actor: User, consultation: Consultation, today: date) -> None:
    """Only a request waiting for approval, not by whoever drafted it (while
    duties are separated), and not one whose closing date has passed."""
    if consultation.state != ConsultationStatus.SUBMITTED:
        raise ConsultationError("Only a request that is waiting for approval can be approved.")
    if not may_approve(actor, consultation):
        raise ConsultationError(NOT_YOURS_TO_APPROVE, "approve")
    if consultation.closes_on is not None and consultation.closes_on < today:
        raise ConsultationError(
            "Its closing date has passed. Return it with a comment, so new dates can be chosen.", "approve"
        )
    title = consultation.title
    _change_status(
        consultation,
        (ConsultationStatus.SUBMITTED,),
        status=ConsultationStatus.APPROVED.value,
        approved_at=utcnow(),
        reviewed_by_id=actor.id,
    )
    opens = consultation.opens_on
    when = "It opens today." if opens is None or opens <= today else f"It opens on {long_date(opens)}."
    mails = _tell_the_asker(
        actor, consultation, f"Your consultation “{title}” is approved. {when}", "Your consultation is approved"
    )
    record(actor, "consultation.approved", "consultation", consultation.id, title)
    db.session.commit()
    deliver(mails)


def return_request(actor: User, consultation: Consultation, comment: str) -> None:
    """Back to the partner with a comment saying what to change."""
    if consultation.state != ConsultationStatus.SUBMITTED:
        raise ConsultationError("Only a request that is waiting for approval can be returned.")
    if not comment:
        raise ConsultationError("Write what needs to change before the request can be approved", "comment")
    if len(comment) > COMMENT_MAX:
        raise ConsultationError(f"The comment must be {COMMENT_MAX:,} characters or fewer", "comment")
    title = consultation.title
    _change_status(
        consultation,
        (ConsultationStatus.SUBMITTED,),
        status=ConsultationStatus.RETURNED.value,
        review_comment=comment,
        reviewed_by_id=actor.id,
    )
    mails = _tell_the_asker(
        actor,
        consultation,
        f"Your consultation request “{title}” was returned with comments. Change it and send it again.",
        "Your consultation request was returned with comments",
    )
    record(actor, "consultation.returned", "consultation", consultation.id, title)
    db.session.commit()
    deliver(mails)
