"""scikit-learn's coordinate-descent tests run against skreg (a package, so that its conftest does
not shadow tests/conftest.py, which skreg's own tests import helpers from)."""
