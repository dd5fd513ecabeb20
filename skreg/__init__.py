"""skreg: fast Lasso, ElasticNet and Ridge with scikit-learn's API and objectives."""

from ._config import config_context, get_config, set_config
from ._dask_data import ChunkKFold
from ._elastic_net import ElasticNet, Lasso
from ._linear_cv import ElasticNetCV, LassoCV
from ._logistic import LogisticRegression
from ._logistic_cv import LogisticRegressionCV
from ._logistic_path import logistic_path
from ._multi_task import MultiTaskElasticNet, MultiTaskLasso
from ._multi_task_cv import MultiTaskElasticNetCV, MultiTaskLassoCV
from ._path import enet_path, lasso_path
from ._path_search import PathFallbackWarning, PathSearchCV
from ._plot import CVCurveDisplay, RegularizationPathDisplay
from ._ridge import Ridge
from ._ridge_cv import RidgeCV

__version__ = "0.1.0"

__all__ = ["Ridge", "RidgeCV", "ElasticNet", "Lasso", "enet_path", "lasso_path",
           "LogisticRegression", "LogisticRegressionCV", "logistic_path",
           "PathSearchCV", "PathFallbackWarning", "LassoCV", "ElasticNetCV",
           "MultiTaskLasso", "MultiTaskElasticNet", "MultiTaskLassoCV",
           "MultiTaskElasticNetCV",
           "RegularizationPathDisplay", "CVCurveDisplay", "ChunkKFold", "set_config",
           "get_config", "config_context", "__version__"]
