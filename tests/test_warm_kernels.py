"""Chapter kernels forked from the warm process: ordinary kernels to Jupyter and to the chapter, started warm."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from scalegap import warm_kernels
from scalegap.resources import chapter_notebooks

KERNEL_ARGUMENTS = ["-f", "/tmp/connection.json", "--IPKernelApp.log_level=ERROR"]


def test_an_ipykernel_command_is_launched_from_the_warm_process_once_it_listens(tmp_path: Path) -> None:
    address = tmp_path / "warm-kernels.sock"
    ipykernel = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", *KERNEL_ARGUMENTS]
    assert warm_kernels.launcher_command(ipykernel, str(address)) == ipykernel  # not listening yet
    address.write_text("")
    launched = warm_kernels.launcher_command(ipykernel, str(address))
    assert launched == [sys.executable, "-m", "scalegap.warm_kernel_launcher", str(address), *KERNEL_ARGUMENTS]
    assert warm_kernels.launcher_command(ipykernel, None) == ipykernel
    other = ["/usr/bin/other-python", "-m", "ipykernel_launcher", *KERNEL_ARGUMENTS]
    assert warm_kernels.launcher_command(other, str(address)) == other  # another interpreter's kernel
    address.with_suffix(warm_kernels.FAILED).write_text("ImportError: no module named seaborn")
    assert warm_kernels.launcher_command(ipykernel, str(address)) == ipykernel


def test_a_warm_process_whose_imports_failed_is_reported_not_passed_over(tmp_path: Path) -> None:
    warm = warm_kernels.WarmProcess(tmp_path)
    assert warm.report() is None  # not wanted: no chapter ran
    warm.wanted = True
    assert warm.report() is None
    warm.address.with_suffix(warm_kernels.FAILED).write_text("Traceback ...\nImportError: no module named seaborn\n")
    assert warm.report() == (
        "chapters ran in plain kernels: the warm process failed (ImportError: no module named seaborn)"
    )


def test_the_warm_process_imports_every_module_the_chapter_notebooks_import() -> None:
    """The chapters' import statements, run after the warm process's imports, load no module more."""
    statements = [
        line.strip()
        for notebook in chapter_notebooks()
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if re.match(r"\s*(from\s+\S+\s+import|import)\s", line)
    ]
    assert len(statements) > 13  # every chapter imports what it shows
    script = (
        "import importlib, sys\n"
        f"for name in {warm_kernels.PRELOADED!r}: importlib.import_module(name)\n"
        "before = set(sys.modules)\n"
        f"exec({chr(10).join(statements)!r})\n"
        "print(sorted(set(sys.modules) - before))"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]", f"add to warm_kernels.PRELOADED: {ran.stdout.strip()}"


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[warm_kernels.WarmProcess]:
    with warm_kernels.warm_process(tmp_path_factory.mktemp("warm")) as process:
        process.start()
        deadline = time.monotonic() + 120
        while not process.address.with_suffix(warm_kernels.READY).exists():
            assert time.monotonic() < deadline and process.report() is None, process.report()
            time.sleep(0.05)
        yield process
    assert not os.environ.get(warm_kernels.ADDRESS_VARIABLE)


class Kernel:
    """A kernel started by the chapters' kernel manager, and a client to it (used inside ``asyncio.run``)."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.manager = warm_kernels.kernel_manager_class()(kernel_name="python3")
        self.cwd, self.env = cwd, {**os.environ, **(env or {})}

    async def start(self) -> Kernel:
        await self.manager.start_kernel(cwd=str(self.cwd), env=self.env)
        self.client = self.manager.client()
        self.client.start_channels()
        await self.client.wait_for_ready(timeout=60)
        return self

    async def run(self, code: str) -> dict[str, Any]:
        """The code's reply content, and what it printed as ``printed``."""
        printed: list[str] = []

        def output(message: dict[str, Any]) -> None:
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])

        reply = await self.client.execute_interactive(code, timeout=60, output_hook=output)
        return {**reply["content"], "printed": "".join(printed)}

    def launcher(self) -> psutil.Process:
        return psutil.Process(self.manager.provisioner.process.pid)

    async def close(self) -> None:
        self.client.stop_channels()
        if await self.manager.is_alive():
            await self.manager.shutdown_kernel()
        await self.manager.cleanup_resources()


def test_a_kernel_forked_warm_has_the_libraries_and_the_launchers_folder_and_environment(
    warm: warm_kernels.WarmProcess, tmp_path: Path
) -> None:
    async def scenario() -> tuple[list[str], int, int]:
        kernel = await Kernel(tmp_path, {"SCALEGAP_WARM_TEST": "from the launcher"}).start()
        try:
            assert kernel.launcher().cmdline()[1:3] == ["-m", "scalegap.warm_kernel_launcher"]
            reply = await kernel.run(
                "import os, sys\n"
                "print('seaborn' in sys.modules, 'scalegap.models.adoption' in sys.modules)\n"
                "print([name for name in ('polars',) if sys.modules.get(name) is not None])\n"
                "print(os.getcwd(), os.environ['SCALEGAP_WARM_TEST'])"
            )
            assert reply["status"] == "ok"
            pid = int((await kernel.run("print(os.getpid())"))["printed"])
            return reply["printed"].splitlines(), pid, kernel.launcher().pid
        finally:
            await kernel.close()

    printed, kernel_pid, launcher_pid = asyncio.run(scenario())
    assert printed == ["True True", "[]", f"{tmp_path} from the launcher"]  # imported before the kernel started
    assert kernel_pid != launcher_pid  # a fork of the warm process, not the launcher
    assert not psutil.pid_exists(kernel_pid)  # shut down with its launcher


def test_an_interrupt_sent_to_the_launcher_reaches_the_kernel(warm: warm_kernels.WarmProcess, tmp_path: Path) -> None:
    async def scenario() -> None:
        kernel = await Kernel(tmp_path).start()
        try:
            kernel.client.execute("import time\ntime.sleep(60)")
            await asyncio.sleep(1)
            began = time.monotonic()
            await kernel.manager.interrupt_kernel()
            reply = await kernel.client.get_shell_msg(timeout=30)
            assert reply["content"]["ename"] == "KeyboardInterrupt"
            assert time.monotonic() - began < 10
            assert (await kernel.run("print(1 + 1)"))["printed"] == "2\n"  # the kernel goes on
        finally:
            await kernel.close()

    asyncio.run(scenario())


def test_a_killed_launcher_takes_its_kernel_with_it(warm: warm_kernels.WarmProcess, tmp_path: Path) -> None:
    async def scenario() -> psutil.Process:
        kernel = await Kernel(tmp_path).start()
        try:
            forked = psutil.Process(int((await kernel.run("import os\nprint(os.getpid())"))["printed"]))
            kernel.launcher().send_signal(signal.SIGKILL)
            return forked
        finally:
            kernel.client.stop_channels()
            await kernel.manager.cleanup_resources()

    gone, alive = psutil.wait_procs([asyncio.run(scenario())], timeout=10)
    assert not alive, "the kernel outlived its launcher"


def test_a_run_folder_too_deep_for_a_unix_socket_binds_it_in_a_short_private_folder(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a client folder deep in the consultant's documents"] * 3)
    deep.mkdir(parents=True)
    with warm_kernels.warm_process(deep) as process:
        assert len(str(process.address)) <= warm_kernels.SOCKET_PATH_LIMIT and process.own_folder is not None
        assert stat.S_IMODE(process.own_folder.stat().st_mode) == 0o700  # the run's own, as the kernels' files
        process.start()
        deadline = time.monotonic() + 120
        while not process.address.with_suffix(warm_kernels.READY).exists():
            assert time.monotonic() < deadline and process.report() is None, process.report()
            time.sleep(0.05)
        own = process.own_folder
    assert not own.exists()
    near = tmp_path / "near"
    near.mkdir()
    assert warm_kernels.WarmProcess(near).address == near / "warm-kernels.sock"


def test_a_socket_that_cannot_be_bound_is_reported_not_passed_over(tmp_path: Path) -> None:
    """The warm process says why it failed when it cannot listen, as when an import fails."""
    address = tmp_path / ("x" * 120 + ".sock")
    process = subprocess.run(
        [sys.executable, "-m", "scalegap.warm_kernels", str(address)], input=b"", capture_output=True, timeout=60
    )
    assert process.returncode != 0
    assert address.with_suffix(warm_kernels.FAILED).read_text().splitlines()[-1] == "OSError: AF_UNIX path too long"
