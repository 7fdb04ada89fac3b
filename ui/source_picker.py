"""Which source an import writes into: one picker for the tracker and the report imports.

The defect it exists to prevent (issue 8): an officer chose "A new source" and typed its
details, then replaced the file, and the choice silently became "An existing source" with an
unrelated source picked, into which Import then wrote every row. Two causes, both fixed here:

- The choice lived only in widget state, and Streamlit deletes a widget's state after any run
  that does not draw it (another page visited, the file cleared, a step above stopping the
  page). Redrawn, the radio fell back to its first option and the source box to its first
  source. Here the officer's choice is kept under a plain session key (`<prefix>.choice`),
  copied into the widgets whenever they are drawn again, and the widgets' keys depend on
  nothing but the page, never on the file.
- The choice was recomputed from each file's suggested title. Here a file's suggestion
  starts the picker and never changes the choice again: a later file only *shows* the
  existing source it names, with a button to use that instead. (A new source's title the
  officer has not touched still follows the latest file, so one file is not offered under
  another's name; a typed title stays.) Nothing defaults to "the first source".

`forget(prefix)` clears the choice after a successful import, so the next file starts afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from data_access.queries.sources import SourceChoices, source_choices
from domain.access import Action, may
from domain.vocabulary import Confidentiality, SourceKind
from importing.words import normalise_words
from ui.identity import current_person
from ui.shell import run_query
from ui.text import plain

EXISTING = "An existing source"
NEW = "A new source"
_LAST_NAME = "officer_name"  # the name last typed on any import page or undo
_FIELDS = ("mode", "source", "title", "committee", "kind", "issued", "confidentiality", "body")


@dataclass(frozen=True)
class Suggestion:
    """What the file or report says about its source (used once, to start the picker)."""

    source_id: int | None = None  # an existing source the file names
    title: str = ""
    committee: str | None = None
    issued: date | None = None
    kind: SourceKind = SourceKind.SCRUTINY_REVIEW


@dataclass(frozen=True)
class SourceChoice:
    """The officer's answer: an existing source by id, or a new one's details."""

    mode: str | None
    source_id: int | None = None
    source_title: str = ""  # the existing source's title, or the new one's as typed
    committee: str | None = None
    kind: SourceKind = SourceKind.SCRUTINY_REVIEW
    date_issued: date | None = None
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    body: str | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_new(self) -> bool:
        return self.mode == NEW

    @property
    def target(self) -> str:
        """How the Import button names where it writes: “Title”, or “Title” (a new source)."""
        if not self.source_title.strip():
            return ""
        title = f"“{' '.join(self.source_title.split())}”"
        return f"{title} (a new source)" if self.is_new else title


def _choice_key(prefix: str) -> str:
    return f"{prefix}.choice"


def _widget_key(prefix: str, name: str) -> str:
    return f"{prefix}.picker.{name}"


def forget(prefix: str) -> None:
    """Drop the officer's choice (after a successful import: the next file starts afresh)."""
    st.session_state.pop(_choice_key(prefix), None)
    for name in _FIELDS:
        st.session_state.pop(_widget_key(prefix, name), None)


def _stored(prefix: str, suggestion: Suggestion) -> dict[str, Any]:
    key = _choice_key(prefix)
    if key not in st.session_state:
        st.session_state[key] = {
            "mode": EXISTING if suggestion.source_id is not None else NEW,
            "source": suggestion.source_id,
            "title": suggestion.title,
            "committee": suggestion.committee,
            "kind": suggestion.kind,
            "issued": suggestion.issued,
            "confidentiality": Confidentiality.PUBLIC,
            "body": "",
            "suggested_title": suggestion.title,
        }
    stored = st.session_state[key]
    if suggestion.title != stored["suggested_title"]:
        # Another file: a title the officer has not touched (still the last suggestion)
        # follows it, so file B is not offered under file A's name; a typed one stays.
        if stored["title"] == stored["suggested_title"]:
            stored["title"] = suggestion.title
            st.session_state.pop(_widget_key(prefix, "title"), None)
        stored["suggested_title"] = suggestion.title
    return stored


def _bound(prefix: str, stored: dict[str, Any], name: str) -> str:
    """The widget's key, its state restored from the kept choice if Streamlit dropped it."""
    key = _widget_key(prefix, name)
    if key not in st.session_state:
        st.session_state[key] = stored[name]
    return key


def _use_named_source(prefix: str, source_id: int) -> None:
    stored = st.session_state[_choice_key(prefix)]
    stored.update(mode=EXISTING, source=source_id)
    st.session_state[_widget_key(prefix, "mode")] = EXISTING
    st.session_state[_widget_key(prefix, "source")] = source_id


def withhold_exempt_sources() -> bool:
    """True for someone not cleared for exempt items: exempt sources are not offered."""
    return not may(current_person(), Action.VIEW_EXEMPT)


def source_picker(prefix: str, suggestion: Suggestion) -> SourceChoice:
    """Draw the picker under `prefix` (one per page) and return the officer's choice."""
    choices: SourceChoices = run_query(source_choices, withhold_exempt_sources())
    stored = _stored(prefix, suggestion)
    if stored["source"] is not None and stored["source"] not in choices.labels:
        stored["source"] = None  # removed since (an undo): never another in its place
        st.session_state.pop(_widget_key(prefix, "source"), None)

    def widget(name: str) -> dict[str, Any]:
        return {"key": _bound(prefix, stored, name)}

    mode = st.radio(
        "Where the recommendations go",
        [EXISTING, NEW],
        index=None,
        horizontal=True,
        **widget("mode"),
    )
    stored["mode"] = mode
    named = suggestion.source_id
    chose_named = mode == EXISTING and stored["source"] == named
    if named is not None and named in choices.labels and not chose_named:
        st.caption(
            f"The file names “{plain(choices.labels[named])}”. The recommendations go where "
            "you choose here; nothing changes unless you choose it."
        )
        st.button(
            f"Use “{plain(choices.labels[named])}”",
            on_click=_use_named_source,
            args=(prefix, named),
            key=f"{prefix}.picker.use_named",
        )
    if mode is None:
        return SourceChoice(None, problems=("Choose where the recommendations go.",))
    if mode == EXISTING:
        if not choices.labels:
            st.info("There are no sources yet: choose **A new source**.", icon=":material/info:")
            return SourceChoice(mode, problems=("There are no sources yet.",))
        source_id = st.selectbox(
            "Source",
            list(choices.labels),
            index=None,
            format_func=lambda key: choices.labels[key],
            placeholder="Choose the source",
            **widget("source"),
        )
        stored["source"] = source_id
        if source_id is None:
            return SourceChoice(mode, problems=("Choose the source they belong to.",))
        return SourceChoice(mode, source_id=source_id, source_title=choices.titles[source_id])
    return _new_source(stored, choices, widget)


def _new_source(stored: dict[str, Any], choices: SourceChoices, widget: Any) -> SourceChoice:
    title = st.text_input("Title of the report, review or audit", **widget("title"))
    committees = list(choices.committees)
    if stored["committee"] and stored["committee"] not in committees:
        committees.append(stored["committee"])  # typed as new, or named by the report
    left, middle, right = st.columns(3)
    committee = left.selectbox(
        "Committee that monitors it",
        committees,
        index=None,
        placeholder="Choose, or type a new one",
        accept_new_options=True,
        **widget("committee"),
    )
    kind = middle.selectbox(
        "Kind", list(SourceKind), format_func=lambda k: k.label, **widget("kind")
    )
    issued = right.date_input(
        "Date issued",
        value=None,
        min_value=date(1990, 1, 1),
        max_value=date.today(),
        format="DD/MM/YYYY",
        **widget("issued"),
    )
    left, right = st.columns(2)
    confidentiality = left.radio(
        "Confidentiality",
        list(Confidentiality),
        format_func=lambda c: c.label,
        horizontal=True,
        **widget("confidentiality"),
    )
    body = right.text_input("Author or body (optional)", **widget("body"))
    stored.update(
        title=title,
        committee=committee,
        kind=kind,
        issued=issued,
        confidentiality=confidentiality,
        body=body,
    )
    problems = []
    clean = " ".join((title or "").split())
    if not clean:
        problems.append("Give the new source's title.")
    elif normalise_words(clean) in {normalise_words(t) for t in choices.titles.values()}:
        taken = (
            f"A source called “{clean}” is already in the tracker: choose it under "
            f"“{EXISTING}”, or give the new one a different title."
        )
        st.warning(plain(taken), icon=":material/warning:")
        problems.append(taken)
    if not (committee or "").strip():
        problems.append("Choose the committee that monitors the new source.")
    if not isinstance(issued, date):
        problems.append("Give the date the new source was issued.")
    return SourceChoice(
        NEW,
        source_title=clean,
        committee=(committee or "").strip() or None,
        kind=kind,
        date_issued=issued if isinstance(issued, date) else None,
        confidentiality=confidentiality,
        body=(body or "").strip() or None,
        problems=tuple(problems),
    )


def your_name(prefix: str) -> str:
    """Who the import or undo is recorded against: the signed-in person (issue 9), or in the
    embedded single-user default the name typed, kept for the session like the choice
    (recorded on each update and on the import's record)."""
    person = current_person()
    if person.signed_in:
        st.markdown(f"Recorded as **{plain(person.display_name)}** ({plain(person.identity)})")
        return person.identity
    key = f"{prefix}.your_name"
    kept = f"{prefix}.your_name.kept"
    if key not in st.session_state:
        # What this field last held, else the name last typed anywhere in the session.
        st.session_state[key] = st.session_state.get(kept, st.session_state.get(_LAST_NAME, ""))

    name = st.text_input(
        "Your name",
        key=key,
        help="Recorded as the author of each progress update and on the import's record.",
    )
    st.session_state[kept] = name
    if name.strip():
        st.session_state[_LAST_NAME] = name
    return " ".join(name.split())
