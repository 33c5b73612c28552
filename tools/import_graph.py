"""The project's own import graph between apps, measured against the floors of pyproject.toml.

Prints one JSON object: the app-level edges, the imports that run up the floors or between apps on one
floor, and the import loops between apps. `python tools/import_graph.py` (with kpo importable).
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
WIRING = {"urls", "cli", "settings", "wsgi", "asgi"}  # above every floor


def floors() -> dict[str, int]:
    """app -> floor number (0 is the top floor)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    return {
        name.strip().removeprefix("kpo."): floor
        for floor, layer in enumerate(layers)
        for name in layer.split("|")
    }


def app_edges() -> dict[tuple[str, str], int]:
    graph = grimp.build_graph("kpo")
    edges: dict[tuple[str, str], int] = defaultdict(int)
    for module in graph.modules:
        source = module.split(".")[1] if module.count(".") else ""
        for imported in graph.find_modules_directly_imported_by(module):
            target = imported.split(".")[1] if imported.startswith("kpo.") and imported.count(".") else ""
            if source and target and source != target:
                edges[(source, target)] += 1
    return dict(edges)


def loops(edges: dict[tuple[str, str], int]) -> list[list[str]]:
    """Strongly connected groups of more than one app (Tarjan)."""
    successors: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        successors[source].append(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in successors[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in list(successors):
        if node not in index:
            visit(node)
    return found


def main() -> None:
    floor = floors()
    edges = app_edges()
    against = [
        f"{source} -> {target}"
        for (source, target) in sorted(edges)
        if source not in WIRING and source in floor and target in floor and floor[source] >= floor[target]
    ]
    print(
        json.dumps(
            {
                "apps": len(floor),
                "edges": len(edges),
                "upward_or_sibling_imports": against,
                "loops_between_apps": loops(edges),
                "unplaced_apps": sorted({a for e in edges for a in e} - set(floor) - WIRING),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
