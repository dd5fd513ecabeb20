"""Build the Cython kernels of skreg (sources in src_cython/, modules land in skreg/)."""
from glob import glob
from pathlib import Path

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

directives = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "initializedcheck": False,
    "cdivision": True,
    "nonecheck": False,
}

# Optimisation flags per compiler family: MSVC does not know -O3 (it warns and ignores it).
OPT_FLAGS = {"msvc": ["/O2"], "unix": ["-O3"], "mingw32": ["-O3"], "cygwin": ["-O3"]}


class BuildExt(build_ext):
    """build_ext that adds the optimisation flags of the compiler actually used."""

    def build_extensions(self):
        flags = OPT_FLAGS.get(self.compiler.compiler_type, [])
        for ext in self.extensions:
            ext.extra_compile_args = list(ext.extra_compile_args or []) + flags
        super().build_extensions()


# One extension per kernel: src_cython/<name>.pyx becomes skreg.<name>.
extensions = [
    Extension(
        f"skreg.{Path(source).stem}",
        [source],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    )
    for source in sorted(glob("src_cython/*.pyx"))
]

setup(
    ext_modules=cythonize(extensions, compiler_directives=directives),
    cmdclass={"build_ext": BuildExt},
)
