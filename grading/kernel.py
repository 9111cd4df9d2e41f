"""The sandboxed kernel launcher: ``python -m shegong.grading.kernel -f {connection_file}``.

Registered as the ``shegong-sandbox`` kernelspec under the workspace
(``shegong.grading.sandbox.install_kernelspec``). Threat model: the code it runs is the
trainee's, and may try to use up the machine, read or write what it must not, or leave
processes behind. Before it becomes an ordinary ipykernel it

1. sets resource limits: address space (``SHEGONG_SANDBOX_MEM_MB``; a memory hog gets a
   ``MemoryError`` instead of the machine swapping), file size (``SHEGONG_SANDBOX_FSIZE_MB``),
   no core dumps, and (when it drops privileges) a cap on processes and threads;
2. in the "namespaces" level (started under ``unshare``, see ``shegong.grading.jail``; it
   is then PID 1 of a new PID namespace, as root): sets up the kernel's private view of the
   file system (``jail.enter``), then forks. The parent stays PID 1, a tiny init that only
   reaps; when the kernel (PID 2) ends, it exits and the Linux kernel kills every process
   left in the namespace (sleepers in new sessions, double-forked daemons, fork bombs);
3. when started as root and given ``SHEGONG_SANDBOX_UID``, copies the connection file into
   its fresh private ``HOME`` and drops to that unprivileged uid/gid with no supplementary
   groups, so student code cannot read the gradebook, the masters or other trainees' work
   (all root-only) nor write anywhere but its own room;
4. removes the sandbox plan from its environment, so trainee code does not learn it.

Without root the uid cannot change: the kernel runs as the grader's own user and isolation
rests on the private copies in a fresh temporary folder (see ``shegong.grading.sandbox``).
This module imports nothing heavy, so the kernel starts as fast as a plain ipykernel.
"""

from __future__ import annotations

import os
import resource
import signal
import sys

MB = 1024 * 1024
NPROC = 256  # processes and threads of the sandbox uid (a fork bomb stops here)


def _limit(kind: int, value: int) -> None:
    """Lower both the soft and the hard limit (never raise them: that needs privileges)."""
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))


def apply_limits(environ: dict[str, str]) -> None:
    """Set the memory, file-size and core-dump limits named in ``environ``."""
    memory = int(environ.get("SHEGONG_SANDBOX_MEM_MB", "0") or 0)
    if memory > 0:
        _limit(resource.RLIMIT_AS, memory * MB)
    fsize = int(environ.get("SHEGONG_SANDBOX_FSIZE_MB", "0") or 0)
    if fsize > 0:
        _limit(resource.RLIMIT_FSIZE, fsize * MB)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _copy_private(source: str, target: str, uid: int) -> None:
    """Copy ``source`` to a new file ``target`` owned by ``uid`` (never through a link)."""
    with open(source, "rb") as data:
        content = data.read()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, content)
        os.fchown(fd, uid, uid)
    finally:
        os.close(fd)


def _uid(environ: dict[str, str]) -> int:
    return int(environ.get("SHEGONG_SANDBOX_UID", "-1") or -1)


def private_connection(argv: list[str], environ: dict[str, str]) -> list[str]:
    """As root with ``SHEGONG_SANDBOX_UID``: the connection file copied into ``HOME``, owned by
    the uid (before the namespace hides where jupyter_client wrote it); returns the argv."""
    uid, home = _uid(environ), environ.get("HOME", "")
    if uid < 0 or os.geteuid() != 0 or "-f" not in argv or not home:
        return argv
    index = argv.index("-f") + 1
    private = os.path.join(home, "connection.json")
    _copy_private(argv[index], private, uid)
    return [*argv[:index], private, *argv[index + 1 :]]


def drop_privileges(argv: list[str], environ: dict[str, str]) -> list[str]:
    """As root with ``SHEGONG_SANDBOX_UID``: become that uid (``private_connection`` first)."""
    uid = _uid(environ)
    if uid < 0 or os.geteuid() != 0:
        return argv
    resource.setrlimit(resource.RLIMIT_NPROC, (NPROC, NPROC))
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    return argv


PROBE_MODULES = ("ipykernel.kernelapp", "shegong.datasets")


def _uid_can_import(environ: dict[str, str], modules: tuple[str, ...] = PROBE_MODULES) -> bool:
    """The probe: can the kernel, once it is the sandbox uid, read what it imports?

    A forked child drops to the uid (as a kernel does) and reads the source file of each
    module (a module already imported here would not touch the disk again); a folder on the
    way that the uid cannot enter fails it.
    """
    child = os.fork()
    if child == 0:
        code = 1
        try:
            drop_privileges([], environ)
            import importlib.util  # the probe's own question, asked only here

            for name in modules:
                spec = importlib.util.find_spec(name)
                if spec is None or spec.origin is None:
                    raise ImportError(name)
                with open(spec.origin, "rb") as source:
                    source.read(1)
            code = 0
        except BaseException:  # any failure means "no": the probe only answers yes or no
            code = 1
        finally:
            os._exit(code)
    _pid, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _ignore(signum: int, frame: object) -> None:
    """PID 1 gets the interrupts meant for the kernel's process group: the kernel acts."""


def become_init() -> None:
    """Fork; the child returns (to become the kernel), this process reaps until it ends.

    Only PID 1 of a namespace runs this. It ignores the signals jupyter_client sends to the
    process group (the kernel, in the same group, receives them itself) and exits with the
    kernel's exit status, which ends every other process in the namespace.
    """
    kernel = os.fork()
    if kernel == 0:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        return
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, _ignore)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == kernel:
            code = os.waitstatus_to_exitcode(status)
            os._exit(code if code >= 0 else 128 - code)


def scrub(in_namespace: bool) -> None:
    """Remove the sandbox plan (and, as PID 2, the parent pid ipykernel would poll)."""
    for name in [n for n in os.environ if n.startswith("SHEGONG_SANDBOX_")]:
        del os.environ[name]
    if in_namespace:  # our parent is the namespace's init: ipykernel must not poll it
        os.environ["JPY_PARENT_PID"] = "1"  # (ipykernel's own "parent is init" value)


def use_site(environ: dict[str, str]) -> None:
    """Run by a foreign interpreter (``python3.X -S kernel.py``): use our site-packages.

    The script's own folder is dropped from ``sys.path`` so that module names here
    (``config``, ``model``, ...) never shadow a library the kernel imports.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        del sys.path[0]
    site_dir = environ.get("SHEGONG_SANDBOX_SITE", "")
    if site_dir:
        import site  # only with a site folder to add (before anything else is imported)

        site.addsitedir(site_dir)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ)
    use_site(environ)
    apply_limits(environ)
    args = private_connection(args, environ)
    init = os.getpid() == 1  # started under unshare: a new PID namespace
    if init and os.geteuid() == 0:
        from shegong.grading.jail import Plan, enter  # only as init of a new namespace

        plan = Plan.from_env(environ)
        if plan is not None:
            enter(plan)
        if args == ["--probe"]:  # launch.namespaces_work: the whole setup, then stop
            print("no plan" if plan is None else "ok" if _uid_can_import(environ) else "no import")
            return
    if init:
        become_init()
    args = drop_privileges(args, environ)
    scrub(init)
    from ipykernel import kernelapp  # heavy: loaded only once the limits and uid are set

    kernelapp.launch_new_instance(argv=args)


if __name__ == "__main__":
    main()
