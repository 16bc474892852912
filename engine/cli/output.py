"""Output and signals, the same for every command, like a good Unix tool.

- Each piece of output (one file's report, one message) is written and flushed
  in one go with SIGINT and SIGTERM held back meanwhile, so what was written
  stays whole when the command is stopped.
- Ctrl-C (SIGINT) ends the command with exit status 130 and SIGTERM with 143,
  without a traceback; worker processes ignore Ctrl-C and are ended by the
  parent (see `batch.parallel`).
- A closed pipe (`guidelines evaluate ... | head -1`) ends the command quietly
  with status 0: the reader has all it wanted, as with git.
- Any other write error (a full disk, `> /dev/full`) prints one line,
  `error: cannot write output: <reason>`, and exits 1.
- Running out of memory outside an evaluation prints `error: out of memory`
  and exits 3.
- A closed standard output (`>&-`) is a write error like any other: `error:
  cannot write output: standard output is closed`, exit 1, once something is
  written to it (so `-o FILE` still works).
- Text a stream's encoding cannot take (a Japanese name under
  `PYTHONIOENCODING=latin-1`) is written with backslash escapes (`\\u65e5`).
- Colour only on a terminal; `NO_COLOR` (any value but empty) turns it off
  everywhere, `FORCE_COLOR` (likewise) turns it on off a terminal too, and
  NO_COLOR wins when both are set: it is the reader's refusal.
- A progress bar on the terminal's last line (`status_line`) is cleared
  before anything else is written over it.

`guarded` runs a command's click main under these rules; `echo` and `write`
are what the commands print with.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from ..errors import GuidelinesError
from ..util.signals import HELD, held_signals

_NO_QUOTES = str.maketrans("", "", "'\"")
_WRITE_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT}
# click 8.2 raises this for a group given no command (8.1 printed the help itself).
_NO_ARGS: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())


class Stop(BaseException):  # noqa: N818 - not an error: how the command ends
    """Ends the command now with `code`, saying `message` on stderr; passes through click untouched."""

    def __init__(self, code: int, message: str | None = None, *, pipe_closed: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.pipe_closed = pipe_closed


def _failed(exc: OSError) -> Stop:
    if isinstance(exc, BrokenPipeError):
        return Stop(0, pipe_closed=True)
    return Stop(1, f"cannot write output: {exc.strerror or exc}")


# What holds the terminal's last line (a progress bar), cleared before output: anything with `clear(err)`.
status_line: Any = None


def colour() -> bool | None:
    """Whether to style output: False with $NO_COLOR, True with $FORCE_COLOR, else None (only on a terminal)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """`click.echo` (styles dropped when not a terminal, see `colour`), written and flushed whole."""
    with held_signals():
        try:
            if status_line is not None:
                status_line.clear(err)
            click.echo(message, err=err, nl=nl, color=colour())
            (sys.stderr if err else sys.stdout).flush()
        except OSError as exc:
            raise _failed(exc) from None


def write(data: bytes, *, err: bool = False) -> None:
    """Bytes to standard output (one JSON line, say), or error, written and flushed whole."""
    stream = sys.stderr if err else sys.stdout
    with held_signals():
        try:
            if status_line is not None:
                status_line.clear(False)
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        except OSError as exc:
            raise _failed(exc) from None


def fail(message: str, code: int = 1) -> NoReturn:
    """`error: message` on stderr (wrapped, controls escaped), and exit with `code`."""
    from ..util.text import message_width, say

    echo(say("error", "", message, message_width()), err=True)
    sys.exit(code)


def show_error(error: GuidelinesError, source: str = "", *, err: bool = True) -> None:
    """Each problem of an error as `error: FILE:LINE:COL: FIELD: message`, wrapped to the terminal (80 otherwise)."""
    from ..util.text import error_text, message_width

    echo(error_text(error, source, message_width()), err=err)


class _Closed(io.RawIOBase):
    """Stands in for a standard stream the command was started without: writing to it fails as to a closed file."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")


def warn_undone(warnings: list[Any]) -> None:
    """Each `--set` that a phase of the file sets again, on stderr: for the commands that show no other
    warning, where such a --set would silently change nothing."""
    from ..batch.work import warning_lines  # cli sits above batch; only a --set a phase undoes needs it
    from ..util.text import message_width

    text = warning_lines([w for w in warnings if w.message.startswith("--set ")], message_width())
    if text:
        echo(text, err=True)


def _ready_streams() -> None:
    """Standard output and error that never raise UnicodeEncodeError, and stand-ins for closed ones.

    A closed descriptor 0, 1 or 2 is opened on /dev/null, so that no file the
    command opens takes its number and receives what was meant for the stream.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
            except OSError:
                pass
    for name, words in (("stdout", "standard output"), ("stderr", "standard error")):
        stream = getattr(sys, name)
        if stream is None:
            closed = io.TextIOWrapper(_Closed(words), encoding="utf-8", errors="backslashreplace", write_through=True)
            setattr(sys, name, closed)
        elif isinstance(stream, io.TextIOWrapper):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, io.UnsupportedOperation):
                pass


def _on_signal(signum: int, frame: Any) -> None:
    raise Stop(128 + signum)


def _exit_now(signum: int, frame: Any) -> None:
    os._exit(128 + signum)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that nothing tries to write to the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture, say): nothing will flush to a pipe


def _show_click_error(exc: click.ClickException) -> None:
    """A usage error in the same voice as every other: `error: --role: 'x' is not a role; ...`."""
    from ..util.text import message_width, say

    message = exc.format_message()
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        hint = exc.param_hint or (exc.param.get_error_hint(exc.ctx) if exc.param is not None and exc.ctx else None)
        if hint:
            names = (hint if isinstance(hint, str) else " / ".join(hint)).translate(_NO_QUOTES)
            message = f"{names}: {exc.message}"
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        help_names = exc.ctx.command.get_help_option_names(exc.ctx)
        hint = f"Try '{exc.ctx.command_path} {max(help_names, key=len)}' for help.\n" if help_names else ""
        echo(f"{exc.ctx.get_usage()}\n{hint}", err=True)
    echo(say("error", "", message, message_width()), err=True)


def guarded(main: Callable[[], Any]) -> NoReturn:
    """Run a click main (not standalone: click's errors are shown here) under the rules above; exit with its status."""
    _ready_streams()
    handlers = {}
    try:
        for signum in HELD:
            handlers[signum] = signal.signal(signum, _on_signal)
    except ValueError:  # not the main thread: leave signals alone
        handlers = {}
    stopped_by_signal = False
    code: Any = 0
    try:
        try:
            returned = main()
            code = returned if isinstance(returned, int) else 0  # an int: click's Exit, --help and the like
        except SystemExit as exit_:
            code = exit_.code
        except _NO_ARGS as exc:  # the command alone: its help, as git and pip do
            echo(exc.ctx.get_help())
            code = 0
        except click.ClickException as exc:
            _show_click_error(exc)
            code = exc.exit_code
        except click.exceptions.Abort:
            echo("error: aborted", err=True)
            code = 1
        except OSError as exc:  # click writing help or a usage message
            if exc.errno not in _WRITE_ERRORS:
                raise
            raise _failed(exc) from None
        with held_signals():
            try:
                sys.stdout.flush()
            except OSError as exc:
                raise _failed(exc) from None
    except Stop as stop:
        code = stop.code
        stopped_by_signal = stop.code > 128
        if stop.pipe_closed:
            _silence_stdout()
        if stop.message:
            try:
                click.echo(f"error: {stop.message}", err=True)
            except OSError:
                pass
    except KeyboardInterrupt:  # only where no handler of ours was installed (not the main thread)
        code = 130
    except MemoryError:
        code = 3
        try:
            click.echo("error: out of memory", err=True)
        except (OSError, MemoryError):
            pass
    finally:
        for signum, handler in handlers.items():
            # After a signal the process is ending: a second one ends it at once, without a traceback.
            signal.signal(signum, _exit_now if stopped_by_signal else handler)
    sys.exit(code)
