"""The sandboxed kernel launcher: ``python -m shegong.grading.kernel -f {connection_file}``.

Registered as the ``shegong-sandbox`` kernelspec under the workspace
(``shegong.grading.sandbox.install_kernelspec``). Before it becomes an ordinary ipykernel it

1. sets resource limits: address space (``SHEGONG_SANDBOX_MEM_MB``; a memory hog gets a
   ``MemoryError`` instead of the machine swapping), file size (``SHEGONG_SANDBOX_FSIZE_MB``),
   no core dumps, and (when it drops privileges) a cap on processes and threads;
2. when started as root and given ``SHEGONG_SANDBOX_UID``, copies the connection file into
   its private ``HOME`` and drops to that unprivileged uid/gid with no supplementary groups,
   so student code cannot read the gradebook, the masters or other trainees' work (all
   root-only) nor write anywhere but its own sandbox folder.

Without root the uid cannot change: the kernel runs as the grader's own user and isolation
rests on the private copies in a fresh temporary folder (see ``shegong.grading.sandbox``).
This module imports nothing heavy, so the kernel starts as fast as a plain ipykernel.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys

MB = 1024 * 1024


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


def drop_privileges(argv: list[str], environ: dict[str, str]) -> list[str]:
    """As root with ``SHEGONG_SANDBOX_UID``: become that uid; returns the kernel's argv."""
    uid = int(environ.get("SHEGONG_SANDBOX_UID", "-1") or -1)
    if uid < 0 or os.geteuid() != 0:
        return argv
    home = environ.get("HOME", "")
    if "-f" in argv and home:
        index = argv.index("-f") + 1
        private = os.path.join(home, "connection.json")
        shutil.copyfile(argv[index], private)
        os.chown(private, uid, uid)
        os.chmod(private, 0o600)
        argv = [*argv[:index], private, *argv[index + 1 :]]
    resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    return argv


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
        import site

        site.addsitedir(site_dir)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ)
    use_site(environ)
    apply_limits(environ)
    args = drop_privileges(args, environ)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=args)


if __name__ == "__main__":
    main()
