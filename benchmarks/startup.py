"""Start-up time of `alegra-sync --help` and `alegra-sync sync --help`, in English and in
Spanish, against a bare Typer app.

Run: ``.venv/bin/python benchmarks/startup.py [runs]``. The bare app is generated from the real
one (every command, group and option, with their English help texts and examples, through
Typer's own registry) into a temp dir, so it grows with the CLI and the ratio measures only
what alegra-sync adds: its imports, its error-handling group and, in Spanish, the language
choice, the catalogue and the translation of the help as it is drawn (the bare app, which
knows no Spanish, prints the same English either way). Both run as ``python -m <module>``
(cached bytecode, the same runpy path), interleaved, after a warm-up; the figure is the median
wall time of ``runs`` runs (default 15). Budget: ≤ 1.3× the bare app. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import enum
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


# case -> (arguments, environment): English with a C locale, Spanish as cron would ask for it
CASES: dict[str, tuple[list[str], dict[str, str]]] = {
    "--help": (["--help"], {"LANG": "C.UTF-8"}),
    "sync --help": (["sync", "--help"], {"LANG": "C.UTF-8"}),
    "--help (es)": (["--help"], {"LANG": "C.UTF-8", "ALEGRA_SYNC_LANG": "es"}),
    "sync --help (es)": (["sync", "--help"], {"LANG": "C.UTF-8", "ALEGRA_SYNC_LANG": "es"}),
}


# --- generating the bare app ------------------------------------------------------------------


def _type_source(annotation: Any, enums: dict[str, type[enum.Enum]]) -> str:
    if annotation is type(None):
        return "None"
    if typing.get_origin(annotation) is typing.Literal:
        return f"typing.Literal[{', '.join(map(repr, typing.get_args(annotation)))}]"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        enums[annotation.__name__] = annotation  # copied into the bare app, values and all
        return annotation.__name__
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return " | ".join(_type_source(arg, enums) for arg in typing.get_args(annotation))
    if isinstance(annotation, types.GenericAlias):
        args = ", ".join(_type_source(arg, enums) for arg in typing.get_args(annotation))
        return f"{_type_source(typing.get_origin(annotation), enums)}[{args}]"
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
    a callback (only --version has one) becomes the bare app's own eager exit, a parser (the
    dates') one that returns the text."""
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
        if name in ("callback", "parser"):
            args.append(f"{name}={'_exit' if name == 'callback' else '_parse'}")
        else:
            args.append(f"{name}={value!r}")
    return f"typer.{kind}({', '.join(args)})"


def _default_source(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def _function_source(name: str, callback: Callable[..., Any],
                     enums: dict[str, type[enum.Enum]]) -> str:
    hints = typing.get_type_hints(callback, include_extras=True)
    params = []
    for param in inspect.signature(callback).parameters.values():
        hint = hints[param.name]
        if typing.get_origin(hint) is typing.Annotated:
            base, *extras = typing.get_args(hint)
            infos = ", ".join(_info_source(extra) for extra in extras)
            text = f"{param.name}: Annotated[{_type_source(base, enums)}, {infos}]"
        else:
            text = f"{param.name}: {_type_source(hint, enums)}"
        if param.default is not inspect.Parameter.empty:
            text += f" = {_default_source(param.default)}"
        params.append(text)
    doc = f"    {callback.__doc__!r}\n" if callback.__doc__ else ""
    return f"def {name}({', '.join(params)}) -> None:\n{doc}    pass\n"


def _settings(typer_app: Any) -> str:
    """The Typer(...) arguments the real app sets (its custom group class left out)."""
    from typer.models import DefaultPlaceholder

    wanted = ("name", "help", "epilog", "no_args_is_help", "invoke_without_command",
              "context_settings")
    found = [
        f"{key}={_text(value)}" for key, value in vars(typer_app.info).items()
        if key in wanted and not isinstance(value, DefaultPlaceholder)
    ]
    for attribute, keyword in (("_add_completion", "add_completion"),
                               ("pretty_exceptions_enable", "pretty_exceptions_enable"),
                               ("rich_markup_mode", "rich_markup_mode")):
        if hasattr(typer_app, attribute):
            found.append(f"{keyword}={getattr(typer_app, attribute)!r}")
    return ", ".join(found)


def _text(value: Any) -> str:
    """A help text or an examples epilog (a str subclass) as plain source."""
    return repr(str(value)) if isinstance(value, str) else repr(value)


def _typer_source(typer_app: Any, variable: str, out: list[str], counter: list[int],
                  enums: dict[str, type[enum.Enum]]) -> None:
    out.append(f"{variable} = typer.Typer({_settings(typer_app)})\n")
    if typer_app.registered_callback is not None:
        counter[0] += 1
        function = f"_f{counter[0]}"
        out.append(_function_source(function, typer_app.registered_callback.callback, enums))
        out.append(f"{variable}.callback()({function})\n")
    for command in typer_app.registered_commands:
        counter[0] += 1
        function = f"_f{counter[0]}"
        out.append(_function_source(function, command.callback, enums))
        texts = "".join(f", {key}={_text(getattr(command, key))}" for key in ("help", "epilog")
                        if getattr(command, key) is not None)
        out.append(f"{variable}.command({command.name!r}{texts})({function})\n")
    for group in typer_app.registered_groups:
        counter[0] += 1
        child = f"_app{counter[0]}"
        _typer_source(group.typer_instance, child, out, counter, enums)
        out.append(f"{variable}.add_typer({child}, name={group.name!r})\n")


def bare_app_source() -> str:
    """A minimal Typer script with the real app's commands, options and help texts."""
    from alegra_sync.cli.app import app

    body: list[str] = []
    enums: dict[str, type[enum.Enum]] = {}
    _typer_source(app, "app", body, [0], enums)
    out = [
        "# Generated by benchmarks/startup.py from alegra_sync.cli.app.app: no behaviour.\n",
        "from __future__ import annotations\n\n",
        "import datetime\nimport enum\nimport pathlib\nimport typing\n",
        "from typing import Annotated\n\nimport typer\n\n\n",
        "def _exit(value: bool) -> None:\n    if value:\n        raise typer.Exit()\n\n\n",
        "def _parse(value: str) -> str:\n    return value\n\n\n",
    ]
    for name, kind in enums.items():
        members = "".join(f"    {m.name} = {m.value!r}\n" for m in kind)
        out.append(f"class {name}(str, enum.Enum):\n{members}\n\n")
    out += [*body, "\nif __name__ == '__main__':\n    app(prog_name='alegra-sync')\n"]
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
        argvs: dict[str, tuple[list[str], dict[str, str]]] = {
            "python": ([sys.executable, "-c", "pass"], env)}
        for case, (args, extra) in CASES.items():
            argvs[f"ours {case}"] = ([sys.executable, "-m", "alegra_sync", *args], env | extra)
            argvs[f"bare {case}"] = ([sys.executable, "-m", BARE_MODULE, *args], env | extra)
        printed = {}
        for key, (argv, case_env) in argvs.items():  # warm-up: bytecode, the page cache
            _run(argv, case_env)
            printed[key] = _run(argv, case_env)[1]
        for case in CASES:  # a fair baseline prints about the same help
            ours, bare = len(printed[f"ours {case}"]), len(printed[f"bare {case}"])
            if abs(ours - bare) > bare // 10:
                print(f"  note: `{case}` prints {ours} bytes, the bare app {bare}")
        times: dict[str, list[float]] = {key: [] for key in argvs}
        for _ in range(runs):  # interleaved, so a busy moment hits every command alike
            for key, (argv, case_env) in argvs.items():
                times[key].append(_run(argv, case_env)[0])
    median = {key: statistics.median(values) for key, values in times.items()}
    return Startup(
        python=median["python"],
        ours={case: median[f"ours {case}"] for case in CASES},
        bare={case: median[f"bare {case}"] for case in CASES},
    )


def print_startup(result: Startup, runs: int) -> None:
    print(f"Start-up, median of {runs} runs (python -m …), budget ≤ {BUDGET}× bare Typer")
    print(f"  python -c pass                   {result.python * 1000:7.1f} ms")
    for case in CASES:
        ratio = result.ratio(case)
        verdict = "ok" if ratio <= BUDGET else "OVER"
        print(f"  alegra-sync {case:<20} {result.ours[case] * 1000:7.1f} ms   bare Typer "
              f"{result.bare[case] * 1000:7.1f} ms   ratio {ratio:.2f}×  {verdict}")


def main() -> None:
    if sys.argv[1:2] == ["--source"]:  # to read what the baseline is
        print(bare_app_source())
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    print_startup(measure(runs), runs)


if __name__ == "__main__":
    main()
