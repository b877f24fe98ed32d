"""YAML in and out, with line numbers for every place in a document.

Reading keeps, for each path in the document (``("interventions", 3, "age", "min")``),
the line it starts on, so a validation error can name the file, the place and the line.
Writing is canonical: the same data always gives the same bytes, so that content in the
database can be written back and reviewed as a diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlProblem:
    line: int | None
    path: Path
    message: str


class YamlError(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem
        super().__init__(problem.message)


@dataclass(frozen=True)
class LocatedDocument:
    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that exists in the document."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def read_yaml(text: str) -> LocatedDocument:
    """Parse one YAML document safely, recording the line of every node.

    Raises :class:`YamlError` for malformed YAML and for a key given twice in one mapping
    (which PyYAML would otherwise silently resolve to the last value).
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LocatedDocument(data=None, lines={})
        lines: dict[Path, int] = {}
        _walk(node, (), lines)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(YamlProblem(line, (), f"ongeldige YAML: {exc.problem or exc}")) from exc
    except yaml.YAMLError as exc:
        raise YamlError(YamlProblem(None, (), f"ongeldige YAML: {exc}")) from exc
    finally:
        loader.dispose()
    return LocatedDocument(data=data, lines=lines)


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YamlError(
                    YamlProblem(
                        line,
                        (*path, key),
                        f"sleutel '{key}' staat twee keer (ook op regel {seen[key]})",
                    )
                )
            seen[key] = line
            _walk(value_node, (*path, key), lines)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key; easier to read in a diff.
        super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list_representer(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    flat = all(not isinstance(item, dict | list) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


def _dict_representer(dumper: yaml.SafeDumper, value: dict) -> yaml.MappingNode:
    # A small reference such as {guideline: x, section: y} reads best on one line.
    flat = len(value) <= 2 and all(not isinstance(item, dict | list) for item in value.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=flat)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(dict, _dict_representer)
_Dumper.add_representer(list, _list_representer)


def write_yaml(data: Any, header: str = "") -> str:
    """Canonical YAML: keys in the given order, short lists of codes in flow style.

    ``header`` is written as a comment block at the top.
    """
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def format_path(path: Path) -> str:
    """``("children", 0, "birth_date")`` -> ``children[0].birth_date``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
