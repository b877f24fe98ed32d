"""Published content versions: the one source of truth, the draft, and the files.

- The content tables are the one *draft*; admins edit only that.
- A :class:`~richtlijnen.models.ContentVersion` is an immutable published bundle; exactly
  one is *in gebruik*. The engine, ``suggest``, the intake and the review use that one.
- ``content_import`` brings YAML files into the draft (and with ``publish`` publishes
  them), but never drops work the files lack: :class:`UnexportedChanges`.
- ``version_publish`` is the one way a version comes into use (a review, a rollback,
  ``load_content --publish``).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from richtlijnen.content import (
    CONTENT_MODELS,
    LoadReport,
    content_bundle_from_db,
    content_load,
    content_version,
)
from richtlijnen.models import ContentReview, ContentSync, ContentVersion, ProblemArea
from richtlijnen.schema import ContentBundle

# ---------------------------------------------------------------- reading


def bundle_json(bundle: ContentBundle) -> dict:
    return bundle.model_dump(mode="json")


def version_in_use() -> ContentVersion | None:
    return ContentVersion.objects.filter(in_use=True).first()


def version_bundle(version: ContentVersion) -> ContentBundle:
    return ContentBundle.model_validate(version.bundle)


def draft_bundle() -> ContentBundle | None:
    """The draft as a bundle, or None when the tables are still empty (a fresh install)."""
    if not ProblemArea.objects.exists():
        return None
    return content_bundle_from_db()


def files_known_hashes() -> set[str]:
    return set(ContentSync.objects.values_list("files_hash", flat=True))


def files_remember(bundle_hash: str) -> None:
    """Record that content with this hash was written to or read from the YAML files."""
    ContentSync.objects.get_or_create(files_hash=bundle_hash)


def draft_authors(*, since=None) -> set[int]:
    """Ids of the users who changed the draft since the version in use was published."""
    if since is None:
        in_use = version_in_use()
        since = in_use.published_at if in_use else None
    authors: set[int] = set()
    for model in CONTENT_MODELS:
        rows = model.history.filter(history_user__isnull=False)
        if since is not None:
            rows = rows.filter(history_date__gt=since)
        authors.update(rows.values_list("history_user_id", flat=True).distinct())
    return authors


# ---------------------------------------------------------------- differences

# (file, list, what one item is called in Dutch)
SECTIONS = [
    ("vocabulary", "problem_areas", "probleemgebied"),
    ("vocabulary", "placements", "situatie"),
    ("guidelines", "guidelines", "richtlijn"),
    ("recommendations", "recommendations", "aanbeveling"),
    ("interventions", "interventions", "interventie"),
]

FIELD_LABELS = {
    "label": "naam",
    "name": "naam",
    "title": "titel",
    "description": "omschrijving",
    "level": "niveau",
    "implies": "omvat ook",
    "sections": "secties",
    "kind": "soort",
    "source": "bron",
    "text": "tekst",
    "applies_to.placements": "geldt bij situaties",
    "applies_to.problems_any": "geldt bij één van deze probleemgebieden",
    "note": "toelichting voor beheer",
    "doelgroep": "doelgroep",
    "age.min": "leeftijd vanaf",
    "age.max": "leeftijd tot",
    "age.max_inclusive": "bovengrens telt mee",
    "age.wording": "leeftijd zoals de bron het zegt",
    "criteria.problems_all": "vereist: al deze probleemgebieden",
    "criteria.problems_any": "vereist: minstens één van deze probleemgebieden",
    "criteria.crisis": "crisis",
    "criteria.placements": "bedoeld bij situaties",
    "goal": "doel",
    "duration": "duur",
    "classification.recognition": "erkenning",
    "classification.level": "niveau van erkenning",
    "classification.wording": "classificatie zoals de bron het zegt",
    "classification.in_databank": "in de Databank Effectieve Jeugdinterventies",
    "classification.source_date": "datum van de bron van de classificatie",
    "source_quote": "citaat uit de eerste bron",
    "research": "onderzoek",
    "sources": "bronnen",
    "position": "volgorde",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def old_text(self) -> str:
        return show(self.old)

    @property
    def new_text(self) -> str:
        return show(self.new)

    def __str__(self) -> str:
        return f"{self.label}: {self.old_text} → {self.new_text}"


@dataclass(frozen=True)
class ItemChange:
    what: str  # "interventie"
    code: str
    change: str  # "nieuw", "verwijderd", "gewijzigd"
    fields: tuple[FieldChange, ...] = ()

    def __str__(self) -> str:
        head = f"{self.what} {self.code}: {self.change}"
        if not self.fields:
            return head
        return head + "\n" + "\n".join(f"    {f}" for f in self.fields)


def show(value: object) -> str:
    if value is None or value == "" or value == []:
        return "(leeg)"
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        if set(value) == {"guideline", "section"}:
            return f"{value['guideline']}/{value['section']}"
        return "; ".join(f"{k}: {show(v)}" for k, v in value.items())
    return str(value)


def _flatten(item: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and key not in {"source"}:
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def bundle_diff(old: dict | None, new: dict) -> list[ItemChange]:
    """What ``new`` changes compared with ``old``: per item and per field (JSON bundles)."""
    changes: list[ItemChange] = []
    for file, key, what in SECTIONS:
        before = {i["code"]: i for i in (old or {}).get(file, {}).get(key, [])}
        after = {i["code"]: i for i in new.get(file, {}).get(key, [])}
        for code, item in after.items():
            if code not in before:
                changes.append(ItemChange(what, code, "nieuw"))
                continue
            a, b = _flatten(before[code]), _flatten(item)
            fields = [
                FieldChange(name, a.get(name), b.get(name))
                for name in dict.fromkeys([*a, *b])
                if a.get(name) != b.get(name)
            ]
            if fields:
                changes.append(ItemChange(what, code, "gewijzigd", tuple(fields)))
        changes.extend(ItemChange(what, code, "verwijderd") for code in before if code not in after)
        if [c for c in before if c in after] != [c for c in after if c in before]:
            changes.append(ItemChange(what, "(volgorde)", "andere volgorde"))
    return changes


# ---------------------------------------------------------------- publishing


class PublishRefused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@transaction.atomic
def version_publish(
    *,
    bundle: ContentBundle,
    source: str,
    release_note: str,
    user=None,
    user_name: str = "",
    draft_is_bundle: bool = False,
) -> ContentVersion:
    """Put ``bundle`` in use as a new version; the draft then equals it.

    ``draft_is_bundle``: the caller knows the draft holds exactly ``bundle`` (saves reading
    the whole draft again inside the publish).

    Publishing content equal to an earlier version records that as a rollback
    (``restores``). The re-evaluation of open dossiers starts after the commit, in the
    background.
    """
    if not release_note.strip():
        raise PublishRefused("Een toelichting bij de publicatie is verplicht.")
    data = bundle_json(bundle)
    new_hash = content_version(bundle)
    # One publication at a time: a second one waits here, then reads what the first did.
    list(ContentVersion.objects.select_for_update().order_by("-number")[:1])
    previous = ContentVersion.objects.filter(in_use=True).first()
    if previous is not None and previous.content_hash == new_hash:
        raise PublishRefused(f"Deze inhoud is al in gebruik als versie {previous.number}.")
    last_number = ContentVersion.objects.aggregate(last=models.Max("number"))["last"] or 0
    restores = ContentVersion.objects.filter(content_hash=new_hash).order_by("number").first()
    ContentVersion.objects.filter(in_use=True).update(in_use=False)
    version = ContentVersion.objects.create(
        number=last_number + 1,
        bundle=data,
        content_hash=new_hash,
        in_use=True,
        source=source,
        release_note=release_note.strip(),
        published_at=timezone.now(),
        published_by=user,
        published_by_name="" if user is not None else (user_name or _os_user()),
        restores=restores,
    )
    if not draft_is_bundle:
        draft = draft_bundle()
        if draft is None or content_version(draft) != new_hash:
            content_load(bundle=bundle)
    if previous is not None:
        # Queued in this transaction: the worker sees it once the publish is committed.
        from impact.services import reevaluation_start

        reevaluation_start(old_version=previous, new_version=version)
    return version


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"


@transaction.atomic
def draft_publish(*, user, draft_hash: str, release_note: str) -> ContentVersion:
    """The four-eyes publish: a content admin who did not change the draft publishes it.

    ``draft_hash`` is the draft the reviewer saw; if it changed meanwhile, nothing happens.
    """
    in_use = version_in_use()
    draft = draft_bundle()
    if draft is None:
        raise PublishRefused("Er is geen concept om te publiceren.")
    if content_version(draft) != draft_hash:
        raise PublishRefused(
            "Het concept is intussen gewijzigd. Bekijk de verschillen opnieuw voor u publiceert."
        )
    if user.pk in draft_authors():
        raise PublishRefused(
            "U heeft zelf aan dit concept gewerkt. Een andere inhoudsbeheerder moet het "
            "beoordelen en publiceren (vier ogen)."
        )
    version = version_publish(
        bundle=draft,
        source=ContentVersion.Source.REVIEW,
        release_note=release_note,
        user=user,
        draft_is_bundle=True,
    )
    ContentReview.objects.create(
        decision=ContentReview.Decision.PUBLISHED,
        draft_hash=draft_hash,
        base_version=in_use,
        published_version=version,
        remark=version.release_note,
        reviewer=user,
    )
    return version


@transaction.atomic
def draft_send_back(*, user, draft_hash: str, remark: str) -> ContentReview:
    if not remark.strip():
        raise PublishRefused("Schrijf erbij wat er nog moet gebeuren.")
    if user.pk in draft_authors():
        raise PublishRefused("U kunt uw eigen wijzigingen niet beoordelen (vier ogen).")
    return ContentReview.objects.create(
        decision=ContentReview.Decision.SENT_BACK,
        draft_hash=draft_hash,
        base_version=version_in_use(),
        remark=remark.strip(),
        reviewer=user,
    )


@transaction.atomic
def draft_restore(*, version: ContentVersion) -> LoadReport:
    """Rollback, step one: put an earlier version in the draft, to be reviewed and published.

    Refused when the draft holds unpublished changes: they would be lost.
    """
    in_use = version_in_use()
    draft = draft_bundle()
    if draft is not None and (in_use is None or content_version(draft) != in_use.content_hash):
        raise PublishRefused(
            "Het concept bevat wijzigingen die nog niet gepubliceerd zijn. Publiceer ze of "
            "maak ze ongedaan voordat u een eerdere versie terugzet."
        )
    if in_use is not None and in_use.content_hash == version.content_hash:
        raise PublishRefused(f"Versie {version.number} is al de inhoud die in gebruik is.")
    return content_load(bundle=version_bundle(version))


# ---------------------------------------------------------------- the YAML files


def _adopt_existing_content() -> ContentVersion | None:
    """An installation from before versions: what was live becomes version 1, unchanged."""
    draft = draft_bundle()
    if draft is None:
        return None
    return version_publish(
        bundle=draft,
        source=ContentVersion.Source.ADOPTED,
        release_note="De inhoud die al in gebruik was toen versies werden ingevoerd.",
    )


@dataclass
class Unexported:
    where: str
    changes: list[ItemChange]


class UnexportedChanges(Exception):
    """The draft or the version in use holds changes that the files lack."""

    def __init__(self, found: list[Unexported]) -> None:
        self.found = found
        super().__init__("; ".join(u.where for u in found))


@dataclass
class ImportReport:
    load: LoadReport
    files_hash: str
    published: ContentVersion | None = None
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def content_import(
    *,
    bundle: ContentBundle,
    publish: bool = False,
    discard_draft: bool = False,
    user_name: str = "",
) -> ImportReport:
    """Files -> draft (and with ``publish`` -> a new version in use).

    Stops with :class:`UnexportedChanges` (changing nothing) when the draft or the version
    in use holds content that is neither these files nor anything exchanged with the files
    before; ``discard_draft`` overrides that for the draft and the version in use.
    """
    files_hash = content_version(bundle)
    files_data = bundle_json(bundle)
    known = files_known_hashes() | {files_hash}
    in_use = version_in_use()
    if in_use is None and not ContentVersion.objects.exists():
        in_use = _adopt_existing_content()
    if not discard_draft:
        found = []
        draft = draft_bundle()
        draft_hash = content_version(draft) if draft is not None else None
        if draft is not None and draft_hash not in known:
            where = "het concept"
            if in_use is not None and in_use.content_hash == draft_hash:
                where = f"het concept en versie {in_use.number} (in gebruik)"
            found.append(Unexported(where, bundle_diff(files_data, bundle_json(draft))))
        if (
            in_use is not None
            and in_use.content_hash not in known
            and in_use.content_hash != draft_hash
        ):
            found.append(
                Unexported(
                    f"versie {in_use.number} (in gebruik)", bundle_diff(files_data, in_use.bundle)
                )
            )
        if found:
            raise UnexportedChanges(found)
    report = ImportReport(load=content_load(bundle=bundle), files_hash=files_hash)
    if publish and (in_use is None or in_use.content_hash != files_hash):
        report.published = version_publish(
            bundle=bundle,
            source=ContentVersion.Source.FILES,
            release_note="Geladen uit de YAML-bestanden (load_content --publish).",
            user_name=user_name,
            draft_is_bundle=True,
        )
    files_remember(files_hash)
    return report
