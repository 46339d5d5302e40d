"""Which Latin words a Japanese page or report may show, read from the data (issue 15).

A text for people in Japanese holds Latin letters only where the data itself writes them:
names the sources write in Latin letters (JST, NASA, HMT, AO入試, H25) in any Japanese
field, the titles of the cluster and its sources, the schema's own Japanese names
(制約度（Burt）), and the option names and choices of the commands a notice points to
(``--view full``). Whole strings that are data in another language (an English name shown
beside the Japanese one, an id, a curator's reason for how a fact is known) are taken out
first: a name is not the page speaking English. A figure's metric code (ao_admissions) is
not among them: the Japanese page has no name for it and must not show it. Nothing here is typed
by hand, so a word of English that the page itself writes ("within 1 steps", "support
organization") is always caught.
"""

from __future__ import annotations

import re

import click

from biocluster_kg.cli import cli
from biocluster_kg.kernel.cluster import ClusterProfile
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA, TIE_TERMS

__all__ = ["allowed_latin", "english_words"]

LATIN_WORD = re.compile(r"[A-Za-z]+")

#: Whole names in the other language, ids, and the curator's reason for a fact read from
#: a layout or inferred (issue 17 shows it on the card as written: evidence, not wording).
_WHOLE_FIELDS = ("name_en", "id", "source_doc", "basis_reason")


def _japanese_texts(kb: KnowledgeBase, profile: ClusterProfile) -> list[str]:
    texts: list[str] = [profile.title("ja")]
    for record in (*kb.nodes.values(), *kb.relationships.values()):
        for name, value in record.properties.items():
            if name.endswith("_ja") or name in ("span", "aliases", "known_as"):
                texts.extend(value if isinstance(value, list) else [str(value)])
    for source in kb.sources.values():
        texts.extend([source.title, source.publisher])
    for label in SCHEMA.nodes:
        texts.append(label.display_name("ja"))
        texts.extend(term.ja for term in label.kind_terms)
    for rel in SCHEMA.relationships:
        texts.append(rel.display_name("ja"))
    for prop in (*SCHEMA.all_node_properties(), *SCHEMA.all_relationship_properties()):
        texts.append(prop.title("ja") if prop.title_ja else "")
        texts.extend(term.ja for term in prop.terms)
    texts.extend(term.ja for term in TIE_TERMS)
    return texts


def _command_words() -> list[str]:
    """The option names and choices of every command (a notice may name ``--view full``)."""
    words: list[str] = []
    commands: list[click.Command] = list(cli.commands.values())
    while commands:
        command = commands.pop()
        if isinstance(command, click.Group):
            commands.extend(command.commands.values())
        for param in command.params:
            words.extend(getattr(param, "opts", []))
            if isinstance(param.type, click.Choice):
                words.extend(str(choice) for choice in param.type.choices)
    return words


def allowed_latin(kb: KnowledgeBase, profile: ClusterProfile) -> set[str]:
    """The Latin words a Japanese text may hold: the data's and the commands' own."""
    allowed: set[str] = set()
    for text in (*_japanese_texts(kb, profile), *_command_words()):
        allowed.update(LATIN_WORD.findall(text))
    return allowed


def _whole_strings(kb: KnowledgeBase) -> list[str]:
    strings = {
        str(record.get(field))
        for record in (*kb.nodes.values(), *kb.relationships.values())
        for field in _WHOLE_FIELDS
        if record.get(field)
    }
    return sorted(strings, key=len, reverse=True)


def english_words(text: str, kb: KnowledgeBase, profile: ClusterProfile) -> set[str]:
    """The Latin words of ``text`` that are neither the data's names nor its codes."""
    for whole in _whole_strings(kb):
        text = text.replace(whole, " ")
    return set(LATIN_WORD.findall(text)) - allowed_latin(kb, profile)
