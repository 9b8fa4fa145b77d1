"""Build hook: compile the hot path of `cleaner` with mypyc when the wheel is built.

The modules listed under ``compiled`` in ``[tool.hatch.build.targets.wheel.hooks.custom]``
are compiled from the same source as the pure-Python package, which the wheel carries too.
They are compiled in a temporary copy of the package, never in the checkout, so that no
extension module is left beside the sources (where a checkout would import it instead of the
code being edited) and none from an earlier build can be packed.

The wheel stays pure Python, and says why, when it is an editable install, when
``CLEANER_PURE_PYTHON=1`` is set, or when no C compiler is found.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PURE_VARIABLE = "CLEANER_PURE_PYTHON"
COMPILER_PACKAGES = ["mypy>=1.11", "setuptools>=69", "types-regex", "types-python-dateutil"]

SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="cleaner_compiled",
    ext_modules=mypycify(sys.argv.pop(1).split(), opt_level="3", debug_level="0"),
)
"""


def c_compiler() -> str | None:
    """The C compiler that builds extension modules here, or None when there is none."""
    configured = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    words = shlex.split(configured)
    return shutil.which(words[0]) if words else None


def _mypy_config(pyproject: Path) -> str:
    """The project's ``[tool.mypy]`` settings as a mypy.ini, for mypyc to check with."""
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["mypy"]
    lines = ["[mypy]"]
    for key, value in settings.items():
        if key != "files":
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


class CompiledCoreHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        """mypyc, and what it needs to type-check the package as `mypy` does: the runtime
        dependencies and their stubs."""
        if os.environ.get(PURE_VARIABLE) == "1":
            return []
        return [*COMPILER_PACKAGES, *self.metadata.core.dependencies]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._workdir: str | None = None
        if self.target_name != "wheel":
            return
        reason = self._pure_reason(version)
        if reason is not None:
            self.app.display_info(f"cleaner: building the pure-Python package ({reason})")
            return
        modules = [str(module) for module in self.config.get("compiled", [])]
        self._workdir = tempfile.mkdtemp(prefix="cleaner-mypyc-")
        built = self._compile(Path(self._workdir), modules)
        for path in built:
            build_data["force_include"][str(path)] = path.relative_to(self._workdir).as_posix()
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_workdir", None):
            shutil.rmtree(str(self._workdir), ignore_errors=True)

    def _pure_reason(self, version: str) -> str | None:
        if version == "editable":
            return "an editable install runs its sources"
        if os.environ.get(PURE_VARIABLE) == "1":
            return f"{PURE_VARIABLE}=1"
        if c_compiler() is None:
            return "no C compiler found; set CC to one to compile the hot path"
        return None

    def _compile(self, workdir: Path, modules: list[str]) -> list[Path]:
        """Copy the package into `workdir`, compile `modules` there, return the extensions."""
        root = Path(self.root)
        package = root / "cleaner"
        skipped = shutil.ignore_patterns("*.so", "*.pyc")
        shutil.copytree(package, workdir / "cleaner", ignore=skipped)
        (workdir / "mypy.ini").write_text(_mypy_config(root / "pyproject.toml"), encoding="utf-8")
        (workdir / "setup.py").write_text(SETUP, encoding="utf-8")
        env = {**os.environ, "MYPY_FORCE_COLOR": "0"}
        done = subprocess.run(
            [sys.executable, "setup.py", " ".join(modules), "build_ext", "--inplace"],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"mypyc could not compile cleaner:\n{done.stdout[-8000:]}\n"
                f"(set {PURE_VARIABLE}=1 to build the pure-Python package instead)"
            )
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        return sorted(path for path in workdir.rglob(f"*{suffix}") if "build" not in path.parts)
