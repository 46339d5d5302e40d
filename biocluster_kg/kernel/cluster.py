"""The cluster profile: a workspace's anchors, read from its ``cluster.yaml``.

The code knows no cluster by name. What analysis, queries and pages need to know about the
cluster at hand (its titles, the focal institute the company routes lead to, which kinds
count as companies, the budget at the top of the budget tree) is data of the workspace.

>>> profile = ClusterProfile(institute_id="org:lab",
...     company_kinds={"Organization": ("company",)})
>>> profile.is_company("Organization", "company"), profile.is_company("Group", "company")
(True, False)
>>> profile.company_kind_codes
('company',)
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.kernel.errors import SourceError
from biocluster_kg.kernel.schema import SCHEMA, text_problem

if TYPE_CHECKING:
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
    "CLUSTER_FILE",
    "ClusterProfile",
    "default_data_dir",
    "load_cluster_profile",
    "profile_from_record",
]

#: The profile's file name in a workspace.
CLUSTER_FILE = "cluster.yaml"

_FIELDS = (
    "title_ja",
    "title_en",
    "institute",
    "budget_root",
    "company_kinds",
    "require_complete",
    "company_group",
    "hubs",
)


def default_data_dir() -> Path:
    """The shipped workspace: ``biocluster_kg/data`` (package data in a wheel; in a checkout
    a link to the repository's ``data/``)."""
    # Not resolved: in a checkout biocluster_kg/data is a link to the repository's data/.
    return Path(os.path.abspath(__file__)).parent.parent / "data"


@dataclass(frozen=True)
class ClusterProfile:
    """The anchors of one cluster's workspace."""

    title_ja: str = "クラスター"
    title_en: str = "Cluster"
    institute_id: str = ""
    company_kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    budget_root: str | None = None
    #: Refuse, not only report, what the knowledge base does not carry yet (a source's
    #: numbers no fact holds, budget parts summing below their total).
    require_complete: bool = False
    #: The (anonymous) group of the cluster's companies its support ladder serves, if any.
    company_group: str | None = None
    #: Coordinating hubs the cluster names besides its coordinators (node ids), if any.
    hubs: tuple[str, ...] = ()

    def is_company(self, label: str, kind: str | None) -> bool:
        """True if a node of ``label`` and ``kind`` counts as a company."""
        return kind is not None and kind in self.company_kinds.get(label, ())

    def with_anchors_from(self, kb: KnowledgeBase) -> ClusterProfile:
        """This profile, with the anchors it leaves out read from the data where the data
        names exactly one: ``company_group``, the company (or group of companies) that the
        cluster's support ladder (a programme with stepped parts) SUPPORTS. A workspace need
        not name it in ``cluster.yaml``; where the data has none or several, it stays unset
        and the question that needs it asks for the parameter.
        """
        if self.company_group is not None:
            return self
        stepped = {
            rel.end
            for rel in kb.relationships.values()
            if rel.type == "PART_OF"
            and rel.start in kb.nodes
            and kb.nodes[rel.start].get("ladder_step") is not None
        }
        served = {
            rel.end
            for rel in kb.relationships.values()
            if rel.type == "SUPPORTS"
            and rel.start in stepped
            and rel.end in kb.nodes
            and self.is_company(kb.nodes[rel.end].label, kb.nodes[rel.end].get("kind"))
        }
        if len(served) != 1:
            return self
        return replace(self, company_group=next(iter(served)))

    @property
    def company_kind_codes(self) -> tuple[str, ...]:
        """Every company kind, of any label, once each (what the queries take)."""
        return tuple(dict.fromkeys(k for kinds in self.company_kinds.values() for k in kinds))

    def title(self, lang: str = "ja") -> str:
        """The cluster's title in ``lang``."""
        return self.title_ja if lang == "ja" else self.title_en

    def query_defaults(self) -> dict[str, Any]:
        """The values query headers may take their defaults from (``= cluster.NAME``).

        Besides every company kind (``company_kinds``), the kinds of each actor label apart
        (``organization_company_kinds``, ``group_company_kinds``, ...), for queries that
        match each label on its own: the keys are the same for every profile.

        >>> ClusterProfile(company_kinds={"Group": ("breweries",)}).query_defaults()[
        ...     "group_company_kinds"]
        ['breweries']
        """
        defaults: dict[str, Any] = {
            "institute_id": self.institute_id,
            "company_kinds": list(self.company_kind_codes),
            "budget_root": self.budget_root,
            "company_group": self.company_group,
            "hubs": list(self.hubs),
        }
        for label in SCHEMA.actor_labels:
            defaults[f"{label.lower()}_company_kinds"] = list(self.company_kinds.get(label, ()))
        return defaults

    def to_record(self) -> str:
        """The profile as one JSON text (what a store records of the workspace it holds).

        Every field goes in by name, so a field added to the dataclass travels without
        another edit here.

        >>> profile = ClusterProfile(title_ja="甲", company_kinds={"Group": ("companies",)})
        >>> profile_from_record(profile.to_record()) == profile
        True
        """
        values: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Mapping):
                value = {key: list(kinds) for key, kinds in value.items()}
            values[item.name] = value
        return json.dumps(values, ensure_ascii=False, sort_keys=True)


def profile_from_record(text: str) -> ClusterProfile:
    """The profile a store recorded (:meth:`ClusterProfile.to_record`); fields a newer
    profile has and the record lacks keep their defaults, fields it no longer has are
    ignored."""
    raw = json.loads(text)
    if not isinstance(raw, dict):
        raise ValueError("a recorded cluster profile is a JSON object")
    known = {item.name for item in fields(ClusterProfile)}
    values = {key: value for key, value in raw.items() if key in known}
    if "hubs" in values:
        values["hubs"] = tuple(values["hubs"])
    if "company_kinds" in values:
        values["company_kinds"] = {
            str(label): tuple(kinds) for label, kinds in dict(values["company_kinds"]).items()
        }
    return ClusterProfile(**values)


def _problem(path: Path, key: str, message: str) -> SourceError:
    """The project's one-line form: ``FILE:LINE [FIELD]: message``, the line where the
    field's key is written (none if it is not found)."""
    from biocluster_kg.kernel.errors import Problem

    top = key.split(".", 1)[0]
    line = None
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if text.startswith(f"{top}:"):
                line = number
                break
    except (OSError, UnicodeDecodeError):
        pass
    return SourceError(str(Problem(str(path), line, key, message)))


def load_cluster_profile(data_dir: str | os.PathLike[str] | None = None) -> ClusterProfile:
    """The profile of the workspace at ``data_dir`` (default: the shipped one).

    A workspace without ``cluster.yaml`` gets an empty profile (no institute, no company
    kinds); a malformed file fails naming the file and the field.
    """
    # The one strict YAML reader (a key given twice, an anchor, a tag refused, with its
    # line); imported here because the kernel otherwise needs no loader.
    from biocluster_kg.kernel.errors import ValidationError
    from biocluster_kg.loaders.yaml_records import read_plain_yaml

    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    path = folder / CLUSTER_FILE
    if not path.exists() and not path.is_symlink():
        return ClusterProfile()
    try:
        raw = read_plain_yaml(path, str(path))
    except ValidationError as error:
        raise SourceError(f"cannot read the cluster profile: {error.problems[0]}") from None
    if raw is None:
        return ClusterProfile()
    if not isinstance(raw, dict):
        raise SourceError(f"{path}: expected a mapping of {', '.join(_FIELDS)}")
    unknown = sorted(set(map(str, raw)) - set(_FIELDS))
    if unknown:
        raise _problem(path, unknown[0], f"unknown field (expected one of {', '.join(_FIELDS)})")
    texts: dict[str, str] = {}
    for key in ("title_ja", "title_en", "institute", "budget_root", "company_group"):
        value = raw.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise _problem(path, key, "expected a non-empty text")
        wrong = text_problem(value) if isinstance(value, str) else None
        if wrong is not None:
            raise _problem(path, key, wrong)
        if value is not None:
            texts[key] = value.strip()
    require_complete = raw.get("require_complete", False)
    if not isinstance(require_complete, bool):
        raise _problem(path, "require_complete", "expected true or false")
    kinds_raw = raw.get("company_kinds") or {}
    if not isinstance(kinds_raw, dict):
        raise _problem(path, "company_kinds", "expected a mapping of label -> list of kinds")
    company_kinds: dict[str, tuple[str, ...]] = {}
    for label, kinds in kinds_raw.items():
        if not SCHEMA.has_label(str(label)) or not SCHEMA.node(str(label)).actor:
            raise _problem(path, f"company_kinds.{label}", "not an actor label of the schema")
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise _problem(path, f"company_kinds.{label}", "expected a list of kinds")
        allowed = SCHEMA.node(str(label)).kinds
        for kind in kinds:
            if kind not in allowed:
                raise _problem(path, f"company_kinds.{label}", f"{kind!r} is not a {label} kind")
        company_kinds[str(label)] = tuple(kinds)
    hubs = raw.get("hubs") or []
    if not isinstance(hubs, list) or not all(isinstance(h, str) and h.strip() for h in hubs):
        raise _problem(path, "hubs", "expected a list of node ids")
    return ClusterProfile(
        hubs=tuple(h.strip() for h in hubs),
        title_ja=texts.get("title_ja", ClusterProfile.title_ja),
        title_en=texts.get("title_en", ClusterProfile.title_en),
        institute_id=texts.get("institute", ""),
        company_kinds=company_kinds,
        budget_root=texts.get("budget_root"),
        require_complete=require_complete,
        company_group=texts.get("company_group"),
    )
