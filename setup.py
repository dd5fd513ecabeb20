"""Build the Cython kernels of skreg (sources in src_cython/, modules land in skreg/)."""
import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

directives = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "initializedcheck": False,
    "cdivision": True,
    "nonecheck": False,
}

extensions = [
    Extension(
        "skreg._cd_fast",
        ["src_cython/_cd_fast.pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3"],
    ),
]

setup(ext_modules=cythonize(extensions, compiler_directives=directives))
