"""Files the command line writes (output paths checked before any work, plots) and its error
type."""

import os


class CLIError(Exception):
    """An error reported to the user on one line (exit code 2), without a traceback."""


def first_line(exc):
    """The first non-empty line of an exception's message (or its type's name)."""
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def check_output(path, what, inputs=()):
    """CLIError unless `path` can be written as a file (and is none of the input files)."""
    if os.path.isdir(path):
        raise CLIError(f"cannot write {what} {path}: it is a directory")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise CLIError(f"cannot write {what} {path}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK) or (os.path.exists(path)
                                             and not os.access(path, os.W_OK)):
        raise CLIError(f"cannot write {what} {path}: permission denied")
    for source in inputs:
        if os.path.exists(path) and os.path.exists(source) and os.path.samefile(path, source):
            raise CLIError(f"{what} {path} is the input file {source}: choose another name")


def have_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def plot_path(path, inputs=()):
    """The file a plot is written to: `path` checked (matplotlib installed, a format it writes,
    a directory that exists); PNG when it has no extension."""
    if not have_matplotlib():
        raise CLIError("--plot needs matplotlib (pip install 'skreg[plot]')")
    from matplotlib.backend_bases import FigureCanvasBase

    if os.path.isdir(path):
        raise CLIError(f"cannot write plot {path}: it is a directory")
    root, ext = os.path.splitext(path)
    if not ext or ext == ".":
        path, ext = root + ".png", ".png"
    formats = FigureCanvasBase.get_supported_filetypes()
    if ext[1:].lower() not in formats:
        raise CLIError(f"--plot {path}: unsupported plot format {ext!r}; use one of "
                       f"{', '.join('.' + f for f in sorted(formats))}")
    check_output(path, "plot", inputs)
    return path


def save_figure(fig, path):
    try:
        fig.savefig(path, dpi=100)
    except (OSError, RuntimeError, ValueError) as exc:
        raise CLIError(f"cannot write plot {path}: {first_line(exc)}") from None


def new_axes():
    """Axes of a new figure that is never shown (no pyplot: works on any backend, headless)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.5), layout="constrained")
    return fig, fig.subplots()


def legend_outside(ax):
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
