"""Start-up time of `alegra-sync --help` and `alegra-sync sync --help` against a bare Typer app.

Run: ``.venv/bin/python benchmarks/startup.py [runs]``. The bare app is generated from the real
one (every command, group and option, with their help texts, through Typer's own registry)
into a temp dir, so it grows with the CLI and the ratio measures only what alegra-sync adds:
its imports and its error-handling group. Both run as ``python -m <module>`` (cached bytecode,
the same runpy path), interleaved, after a warm-up; the figure is the median wall time of
``runs`` runs (default 15). Budget: ≤ 1.3× the bare app. Prints figures; asserts nothing.
"""

from __future__ import annotations

import inspect
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUDGET = 1.3
RUNS = 15
BARE_MODULE = "bare_typer_app"


@dataclass
class Startup:
    """Median seconds per command line, for ours and the bare app, plus `python -c pass`."""

    python: float
    ours: dict[str, float]
    bare: dict[str, float]

    def ratio(self, case: str) -> float:
        return self.ours[case] / self.bare[case]


CASES = {"--help": ["--help"], "sync --help": ["sync", "--help"]}


# --- generating the bare app ------------------------------------------------------------------


def _type_source(annotation: Any) -> str:
    if annotation is type(None):
        return "None"
    if isinstance(annotation, types.UnionType):
        return " | ".join(_type_source(arg) for arg in typing.get_args(annotation))
    if isinstance(annotation, types.GenericAlias):
        args = ", ".join(_type_source(arg) for arg in typing.get_args(annotation))
        return f"{_type_source(typing.get_origin(annotation))}[{args}]"
    if isinstance(annotation, type):
        module = annotation.__module__
        if module == "builtins":
            return annotation.__qualname__
        if module.startswith("typer"):
            return f"typer.{annotation.__qualname__}"
        return f"{module}.{annotation.__qualname__}"
    raise TypeError(f"no source for the annotation {annotation!r}")


def _info_source(info: Any) -> str:
    """``typer.Option(...)`` / ``typer.Argument(...)`` with the real one's non-default settings;
    a callback (only --version has one) becomes the bare app's own eager exit."""
    import typer
    from typer.models import ArgumentInfo

    kind = "Argument" if isinstance(info, ArgumentInfo) else "Option"
    fresh = getattr(typer, kind)()
    # In Annotated[...], the first declaration ("--verbose") is what Typer stores as default.
    decls = [info.default] if isinstance(info.default, str) else []
    args = [repr(decl) for decl in [*decls, *(getattr(info, "param_decls", ()) or ())]]
    for name, value in vars(info).items():
        if name in ("param_decls", "default") or value == vars(fresh).get(name):
            continue
        args.append(f"{name}=_exit" if name == "callback" else f"{name}={value!r}")
    return f"typer.{kind}({', '.join(args)})"


def _function_source(name: str, callback: Callable[..., Any]) -> str:
    hints = typing.get_type_hints(callback, include_extras=True)
    params = []
    for param in inspect.signature(callback).parameters.values():
        hint = hints[param.name]
        if typing.get_origin(hint) is typing.Annotated:
            base, *extras = typing.get_args(hint)
            infos = ", ".join(_info_source(extra) for extra in extras)
            text = f"{param.name}: Annotated[{_type_source(base)}, {infos}]"
        else:
            text = f"{param.name}: {_type_source(hint)}"
        if param.default is not inspect.Parameter.empty:
            text += f" = {param.default!r}"
        params.append(text)
    doc = f"    {callback.__doc__!r}\n" if callback.__doc__ else ""
    return f"def {name}({', '.join(params)}) -> None:\n{doc}    pass\n"


def _settings(typer_app: Any) -> str:
    """The Typer(...) arguments the real app sets (its custom group class left out)."""
    from typer.models import DefaultPlaceholder

    wanted = ("name", "help", "no_args_is_help", "invoke_without_command", "context_settings")
    found = [
        f"{key}={value!r}" for key, value in vars(typer_app.info).items()
        if key in wanted and not isinstance(value, DefaultPlaceholder)
    ]
    for attribute, keyword in (("_add_completion", "add_completion"),
                               ("pretty_exceptions_enable", "pretty_exceptions_enable"),
                               ("rich_markup_mode", "rich_markup_mode")):
        if hasattr(typer_app, attribute):
            found.append(f"{keyword}={getattr(typer_app, attribute)!r}")
    return ", ".join(found)


def _typer_source(typer_app: Any, variable: str, out: list[str], counter: list[int]) -> None:
    out.append(f"{variable} = typer.Typer({_settings(typer_app)})\n")
    if typer_app.registered_callback is not None:
        counter[0] += 1
        function = f"_f{counter[0]}"
        out.append(_function_source(function, typer_app.registered_callback.callback))
        out.append(f"{variable}.callback()({function})\n")
    for command in typer_app.registered_commands:
        counter[0] += 1
        function = f"_f{counter[0]}"
        out.append(_function_source(function, command.callback))
        out.append(f"{variable}.command({command.name!r})({function})\n")
    for group in typer_app.registered_groups:
        counter[0] += 1
        child = f"_app{counter[0]}"
        _typer_source(group.typer_instance, child, out, counter)
        out.append(f"{variable}.add_typer({child}, name={group.name!r})\n")


def bare_app_source() -> str:
    """A minimal Typer script with the real app's commands, options and help texts."""
    from alegra_sync.cli.app import app

    out = [
        "# Generated by benchmarks/startup.py from alegra_sync.cli.app.app: no behaviour.\n",
        "from __future__ import annotations\n\n",
        "import pathlib\nfrom typing import Annotated\n\nimport typer\n\n\n",
        "def _exit(value: bool) -> None:\n    if value:\n        raise typer.Exit()\n\n\n",
    ]
    _typer_source(app, "app", out, [0])
    out.append("\nif __name__ == '__main__':\n    app(prog_name='alegra-sync')\n")
    return "".join(out)


# --- timing -----------------------------------------------------------------------------------


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    began = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    return seconds, done.stdout


def measure(runs: int = RUNS) -> Startup:
    with tempfile.TemporaryDirectory(prefix="alegra-sync-startup-") as folder:
        (Path(folder) / f"{BARE_MODULE}.py").write_text(bare_app_source(), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [folder, env.get("PYTHONPATH")]))
        env["COLUMNS"] = "100"  # the same help layout whatever the terminal
        argvs: dict[str, list[str]] = {"python": [sys.executable, "-c", "pass"]}
        for case, args in CASES.items():
            argvs[f"ours {case}"] = [sys.executable, "-m", "alegra_sync", *args]
            argvs[f"bare {case}"] = [sys.executable, "-m", BARE_MODULE, *args]
        printed = {}
        for key, argv in argvs.items():  # warm-up: bytecode written, files in the page cache
            _run(argv, env)
            printed[key] = _run(argv, env)[1]
        for case in CASES:  # a fair baseline prints the very same help
            if printed[f"ours {case}"] != printed[f"bare {case}"]:
                print(f"  note: the bare app's `{case}` output differs from alegra-sync's")
        times: dict[str, list[float]] = {key: [] for key in argvs}
        for _ in range(runs):  # interleaved, so a busy moment hits every command alike
            for key, argv in argvs.items():
                times[key].append(_run(argv, env)[0])
    median = {key: statistics.median(values) for key, values in times.items()}
    return Startup(
        python=median["python"],
        ours={case: median[f"ours {case}"] for case in CASES},
        bare={case: median[f"bare {case}"] for case in CASES},
    )


def print_startup(result: Startup, runs: int) -> None:
    print(f"Start-up, median of {runs} runs (python -m …), budget ≤ {BUDGET}× bare Typer")
    print(f"  python -c pass              {result.python * 1000:7.1f} ms")
    for case in CASES:
        ratio = result.ratio(case)
        verdict = "ok" if ratio <= BUDGET else "OVER"
        print(f"  alegra-sync {case:<15} {result.ours[case] * 1000:7.1f} ms   bare Typer "
              f"{result.bare[case] * 1000:7.1f} ms   ratio {ratio:.2f}×  {verdict}")


def main() -> None:
    if sys.argv[1:2] == ["--source"]:  # to read what the baseline is
        print(bare_app_source())
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    print_startup(measure(runs), runs)


if __name__ == "__main__":
    main()
