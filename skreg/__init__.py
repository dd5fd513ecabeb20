"""skreg: fast Lasso, ElasticNet and Ridge with scikit-learn's API and objectives."""

from ._elastic_net import ElasticNet, Lasso
from ._path import enet_path, lasso_path

__version__ = "0.1.0"

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path", "__version__"]
