"""The suite-wide check that labelled content never leaves the service by email (issue 11).

After every test that sent email (engage/conftest.py), the texts of every labelled item are
gathered and no sent message may contain one: not its subject, text body or HTML alternative.

Which rows are labelled, found by introspection so that a new model is covered unasked:
- A row with a handling label of its own (a field whose choices are drawn from
  `engage.core.labels.Label`: an engagement, a document, a dissemination message, an
  implementation agreement, a label change or release request) is labelled unless that label
  is TLP:CLEAR or TLP:GREEN. A row with two such fields (a change from one label to another)
  is governed by the narrower.
- A row without a label of its own inherits its parent's: it is labelled if a foreign key,
  followed up to `DEPTH` steps through other unlabelled rows, reaches a labelled row (a
  response's body, a question's text, a clarification's question and answer, advice, under a
  labelled engagement). A row whose own label is CLEAR or GREEN is not made labelled by its
  parent: the owner released it.

Its texts are the values of its text columns (CharField and TextField without choices; not
emails, slugs, URLs or paths: an email may always carry a link), whitespace-normalised, of
at least `MIN_LENGTH` characters and two words: a single word (a code such as
"implementation" kept in a column without choices) is a name of the service's, not
content. A text that a CLEAR or GREEN row also holds (two engagements with the same title,
one GREEN) is shareable: the emails of the GREEN one may name it. The check reads the
database as the test leaves it, so a label widened after an email was sent counts as
widened.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.mail import EmailMessage
from django.db import models
from django.db.models import Q

from engage.core.labels import WIDENING_ORDER, Label

MIN_LENGTH = 12
DEPTH = 3
SHAREABLE = (Label.CLEAR.value, Label.GREEN.value)
_LABEL_VALUES = frozenset(Label.values)
# The reason django-simple-history records with a change ("Opened"): the service's words.
_NOT_CONTENT = frozenset({"history_change_reason"})


@dataclass(frozen=True)
class Source:
    """Where a model's rows get their label: the lookups to label fields, own or a parent's."""

    model: type[models.Model]
    own: tuple[str, ...]  # label fields of the row itself
    inherited: tuple[str, ...]  # lookups such as "engagement__label", when `own` is empty
    texts: tuple[str, ...]  # the text columns to read


def _label_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField)
        and field.choices
        and {str(value) for value, _ in field.flatchoices} <= _LABEL_VALUES
    )


def _text_fields(model: type[models.Model], labels: tuple[str, ...]) -> tuple[str, ...]:
    skipped = (models.EmailField, models.SlugField, models.URLField)
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, skipped)
        and not field.choices
        and field.name not in labels
        and field.name not in _NOT_CONTENT
    )


@cache
def sources() -> tuple[Source, ...]:
    """Every model whose rows can be labelled, with how (see the module's docstring); the
    models do not change within a run, so they are found once."""
    own = {model: _label_fields(model) for model in apps.get_models()}
    found = []
    for model, labels in own.items():
        texts = _text_fields(model, labels)
        if not texts:
            continue
        if labels:
            found.append(Source(model, labels, (), texts))
            continue
        inherited = tuple(_parent_lookups(model, own, depth=DEPTH, seen=(model,)))
        if inherited:
            found.append(Source(model, (), inherited, texts))
    return tuple(found)


def _parent_lookups(
    model: type[models.Model],
    own: dict[type[models.Model], tuple[str, ...]],
    *,
    depth: int,
    seen: tuple[type[models.Model], ...],
) -> Iterator[str]:
    if depth == 0:
        return
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        parent = field.related_model
        if not isinstance(parent, type) or parent in seen:
            continue
        if own.get(parent):
            yield from (f"{field.name}__{label}" for label in own[parent])
        else:
            for lookup in _parent_lookups(parent, own, depth=depth - 1, seen=(*seen, parent)):
                yield f"{field.name}__{lookup}"


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _keeps(text: str) -> bool:
    return (
        len(text) >= MIN_LENGTH
        and " " in text
        and text not in _LABEL_VALUES  # a label copied onto a step ("amber_strict")
        and not text.startswith("/")
        and "://" not in text
    )


def _narrowest(labels: Iterable[str | None]) -> str | None:
    present = [label for label in labels if label in _LABEL_VALUES]
    return min(present, key=lambda label: WIDENING_ORDER.index(Label(label)), default=None)


def labelled_texts() -> frozenset[str]:
    """The normalised texts of every labelled row now in the database, less those a CLEAR or
    GREEN row also holds. One query per model that can be labelled."""
    labelled: set[str] = set()
    shareable: set[str] = set()
    for source in sources():
        if source.own:
            rows = source.model._base_manager.values_list(*source.own, *source.texts)
            width = len(source.own)
        else:
            # Labelled if any parent it reaches is labelled narrower than TLP:GREEN.
            narrow = Q()
            for lookup in source.inherited:
                narrow |= Q(**{f"{lookup}__isnull": False}) & ~Q(**{f"{lookup}__in": SHAREABLE})
            rows = source.model._base_manager.filter(narrow).values_list(*source.texts).distinct()
            width = 0
        for row in rows:
            texts = (_normalise(value) for value in row[width:] if isinstance(value, str))
            kept = {text for text in texts if _keeps(text)}
            if width and _narrowest(row[:width]) in SHAREABLE:
                shareable |= kept
            else:
                labelled |= kept
    return frozenset(labelled - shareable)


@dataclass(frozen=True)
class Leak:
    text: str  # the labelled text
    message: str  # the email's subject, to find it
    part: str  # "subject", "body" or the alternative's content type


def _parts(message: EmailMessage) -> Iterator[tuple[str, str]]:
    yield "subject", str(message.subject)
    yield "body", str(message.body)
    for alternative in getattr(message, "alternatives", ()):
        content, mimetype = alternative[0], alternative[1]
        yield str(mimetype), content.decode() if isinstance(content, bytes) else str(content)


def leaks(messages: Iterable[EmailMessage], texts: frozenset[str] | None = None) -> list[Leak]:
    """Each labelled text found in a message (`texts` defaults to `labelled_texts()`)."""
    messages = list(messages)
    if not messages:
        return []  # no email, no query
    texts = labelled_texts() if texts is None else texts
    found = []
    for message in messages:
        for part, content in _parts(message):
            normalised = _normalise(content)
            found += [
                Leak(text, str(message.subject), part) for text in texts if text in normalised
            ]
    return found
